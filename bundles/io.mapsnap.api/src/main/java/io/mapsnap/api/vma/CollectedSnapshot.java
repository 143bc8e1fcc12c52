package io.mapsnap.api.vma;

import java.util.Objects;

/**
 * A snapshot a collector took during a collection, with the address-space identity that samples of the same
 * process carry, so each sample is resolved against the map it was taken in.
 *
 * @param snapshot the map
 * @param addressSpace identity of the address space (the kernel's mm_struct address; it changes on exec), or 0
 *        when the source cannot tell (then samples match by process identity and time)
 * @param trigger why it was taken
 */
public record CollectedSnapshot(VmaSnapshot snapshot, long addressSpace, CaptureTrigger trigger) {
    public CollectedSnapshot {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(trigger, "trigger");
    }
}
