package io.mapsnap.kernel.bpf;

import java.lang.System.Logger.Level;

/**
 * A thread that keeps a ring buffer empty while BPF programs fill it: it polls until closed, then consumes what is
 * left, so closing after the programs are detached delivers every record they wrote. The reader is used by this
 * thread alone.
 */
public final class RingBufferDrain implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RingBufferDrain.class.getName());
    private static final int POLL_MILLIS = 50;

    private final Thread thread;
    private volatile boolean stopping;
    private volatile Exception failure;

    private RingBufferDrain(String name, RingBufferReader reader) {
        this.thread = Thread.ofPlatform().daemon().name(name).start(() -> run(reader));
    }

    /** Starts draining {@code ring} into {@code consumer} on a thread called {@code name}. */
    public static RingBufferDrain start(String name, BpfMap ring, RingBufferConsumer consumer) throws BpfException {
        return new RingBufferDrain(name, RingBufferReader.open(ring, consumer));
    }

    private void run(RingBufferReader reader) {
        try (reader) {
            while (!stopping) {
                reader.poll(POLL_MILLIS);
            }
            reader.consume();
        } catch (BpfException | RuntimeException e) {
            failure = e;
            LOG.log(Level.ERROR, "{0}: reading the ring buffer failed: {1}", thread.getName(), e.getMessage());
        }
    }

    /** Why draining stopped early, or {@code null}. */
    public Exception failure() {
        return failure;
    }

    /** Consumes what is left and waits for the thread. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
