package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/**
 * The ring read straight from its mapping, as libbpf's ringbuf.c does, without a native call per record.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds consumer_pos and is the only page user space may write; page 1
 * holds producer_pos; the data pages follow and the kernel maps them twice in a row, so a record that wraps past
 * the end is still contiguous in our view. Each record starts with an 8-byte header: u32 len whose bit 31 (BUSY)
 * says the producer has not committed it yet and bit 30 (DISCARD) that it was discarded, then u32 pg_off. Records
 * are 8-byte aligned.
 */
final class MmapRingBuffer implements RingBufferPath {
    private static final long PAGE = 4096; // x86_64; the ring's layout is in pages of the kernel's PAGE_SIZE
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int EPOLLIN = 1;
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER = 8;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Syscalls sys;
    private final RingBufferConsumer consumer;
    private final long mask;
    private MemorySegment consumerPage;
    private MemorySegment producerMapping;
    private MemorySegment data;
    private int epollFd = -1;

    private MmapRingBuffer(Syscalls sys, RingBufferConsumer consumer, long size) {
        this.sys = sys;
        this.consumer = consumer;
        this.mask = size - 1;
    }

    static MmapRingBuffer open(int mapFd, long size, RingBufferConsumer consumer) throws BpfException {
        if (Long.bitCount(size) != 1 || size % PAGE != 0) {
            throw new IllegalArgumentException("ring size " + size + " is not a power-of-2 multiple of the page size");
        }
        MmapRingBuffer r = new MmapRingBuffer(Syscalls.get(), consumer, size);
        try {
            r.consumerPage = r.sys.mmap(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mapFd, 0);
            // The kernel refuses writable mappings of the producer page and data (EPERM): map them read-only.
            r.producerMapping = r.sys.mmap(PAGE + 2 * size, PROT_READ, MAP_SHARED, mapFd, PAGE).asReadOnly();
            r.data = r.producerMapping.asSlice(PAGE, 2 * size);
            r.epollFd = r.sys.epollCreate();
            r.sys.epollAdd(r.epollFd, mapFd, EPOLLIN);
            return r;
        } catch (BpfException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    @Override
    public int poll(int timeoutMs) throws BpfException {
        requireOpen();
        int n = consume();
        if (n > 0 || timeoutMs == 0) {
            return n;
        }
        sys.epollWait(epollFd, timeoutMs);
        return consume();
    }

    @Override
    public int consume() {
        requireOpen();
        int count = 0;
        long consPos = (long) LONG.getAcquire(consumerPage, 0L);
        while (true) {
            boolean progressed = false;
            long prodPos = (long) LONG.getAcquire(producerMapping, 0L);
            while (consPos < prodPos) {
                long offset = consPos & mask;
                int len = (int) INT.getAcquire(data, offset);
                if ((len & BUSY_BIT) != 0) {
                    // The producer reserved this record but has not committed it: stop here, in order.
                    return count;
                }
                progressed = true;
                int size = len & ~(BUSY_BIT | DISCARD_BIT);
                consPos += (size + HEADER + 7) & ~7L;
                try {
                    if ((len & DISCARD_BIT) == 0) {
                        count++;
                        consumer.accept(data.asSlice(offset + HEADER, size));
                    }
                } finally {
                    // Release the record's space to producers only after the consumer has seen it.
                    LONG.setRelease(consumerPage, 0L, consPos);
                }
            }
            if (!progressed) {
                return count;
            }
        }
    }

    private void requireOpen() {
        if (consumerPage == null || producerMapping == null) {
            throw new IllegalStateException("ring buffer reader is closed");
        }
    }

    @Override
    public void close() {
        if (epollFd >= 0) {
            sys.close(epollFd);
            epollFd = -1;
        }
        if (producerMapping != null) {
            sys.munmap(producerMapping);
            producerMapping = null;
            data = null;
        }
        if (consumerPage != null) {
            sys.munmap(consumerPage);
            consumerPage = null;
        }
    }
}
