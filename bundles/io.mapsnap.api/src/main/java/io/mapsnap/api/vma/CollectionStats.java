package io.mapsnap.api.vma;

/**
 * What a collection did so far.
 *
 * @param snapshots snapshots delivered
 * @param vmas VMAs delivered, over all snapshots
 * @param failed walks that could not be done (the process was gone, the iterator refused, the file was unreadable)
 * @param truncated snapshots cut at the configured VMA bound
 * @param dropped snapshots delivered incomplete because the ring buffer was full
 * @param lostRecords records the collector could not deliver at all (ring buffer full), as its programs counted
 */
public record CollectionStats(long snapshots, long vmas, long failed, long truncated, long dropped,
        long lostRecords) {
}
