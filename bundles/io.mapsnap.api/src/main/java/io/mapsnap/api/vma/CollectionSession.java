package io.mapsnap.api.vma;

import org.osgi.annotation.versioning.ConsumerType;

/** A running collection started by {@link VmaCollector#start}. Closing it detaches everything it attached. */
@ConsumerType
public interface CollectionSession extends AutoCloseable {
    /**
     * Tells the collector that a sample of process {@code tgid} was seen. In-kernel collectors find their
     * processes themselves and may ignore this; user-space collectors take their snapshot from here.
     */
    void sampled(int tgid, long processStartTime);

    /**
     * As {@link #sampled(int, long)}, with the address space the sample ran in: the kernel's mm_struct address, 0
     * when unknown. An exec gives the same process a new map, which a user-space collector must read again.
     *
     * @since 1.2
     */
    default void sampled(int tgid, long processStartTime, long addressSpace) {
        sampled(tgid, processStartTime);
    }

    /** Counters so far. */
    CollectionStats stats();

    /** Stops the collection after delivering what is already captured. */
    @Override
    void close();
}
