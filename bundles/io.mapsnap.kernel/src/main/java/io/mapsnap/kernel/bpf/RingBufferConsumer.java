package io.mapsnap.kernel.bpf;

import java.lang.foreign.MemorySegment;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives ring buffer records, in the order the producers committed them. */
@ConsumerType
@FunctionalInterface
public interface RingBufferConsumer {
    /**
     * One record. {@code record} is a read-only view into the ring, valid only during this call: copy what must
     * outlive it. An exception stops the current poll and is rethrown by it; the record counts as consumed.
     */
    void accept(MemorySegment record);
}
