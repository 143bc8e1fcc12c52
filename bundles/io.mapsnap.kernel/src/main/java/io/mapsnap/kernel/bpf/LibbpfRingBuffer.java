package io.mapsnap.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.internal.libbpf.Libbpf;

/** ring_buffer__new/poll/free with an upcall per record; the stub lives in this reader's arena. */
final class LibbpfRingBuffer implements RingBufferPath {
    private final Libbpf lib;
    private final Arena arena;
    private final RingBufferConsumer consumer;
    private MemorySegment rb;
    private Throwable failure;

    private LibbpfRingBuffer(Libbpf lib, Arena arena, RingBufferConsumer consumer) {
        this.lib = lib;
        this.arena = arena;
        this.consumer = consumer;
    }

    static LibbpfRingBuffer open(int mapFd, RingBufferConsumer consumer) throws BpfException {
        Libbpf lib = Libbpf.get();
        Arena arena = Arena.ofShared();
        LibbpfRingBuffer r = new LibbpfRingBuffer(lib, arena, consumer);
        try {
            MemorySegment callback = lib.ringBufferCallback(r::deliver, arena);
            r.rb = lib.ringBufferNew(mapFd, callback);
            return r;
        } catch (BpfException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private int deliver(MemorySegment data) {
        if (failure != null) {
            return -1;
        }
        try {
            consumer.accept(data.asReadOnly());
            return 0;
        } catch (Throwable t) {
            failure = t;
            return -1; // stops ring_buffer__poll
        }
    }

    private int check(BpfException e) throws BpfException {
        rethrowFailure();
        throw e;
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("ring buffer consumer failed", t);
        }
    }

    @Override
    public int poll(int timeoutMs) throws BpfException {
        requireOpen();
        try {
            return lib.ringBufferPoll(rb, timeoutMs);
        } catch (BpfException e) {
            return check(e);
        }
    }

    @Override
    public int consume() throws BpfException {
        requireOpen();
        try {
            return lib.ringBufferConsume(rb);
        } catch (BpfException e) {
            return check(e);
        }
    }

    private void requireOpen() {
        if (rb == null) {
            throw new IllegalStateException("ring buffer reader is closed");
        }
    }

    @Override
    public void close() {
        if (rb != null) {
            lib.ringBufferFree(rb);
            rb = null;
            arena.close();
        }
    }
}
