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

    /** Counters so far. */
    CollectionStats stats();

    /** Stops the collection after delivering what is already captured. */
    @Override
    void close();
}
