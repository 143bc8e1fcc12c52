package io.mapsnap.api.vma;

import java.util.List;
import java.util.Set;

/**
 * Which processes a collection covers, and which of their mappings each snapshot holds.
 *
 * @param tgids the process ids to cover; empty means every process
 * @param cgroupId a cgroup v2 id (the inode number of its directory) to restrict to, or 0 for no restriction
 * @param executableOnly snapshots hold only executable mappings: all a symbolizer needs, since every sampled
 *        instruction pointer is in one, for a fraction of the capture cost (a shared library maps three or four
 *        regions, one of them executable, and each file-backed region's path is built in the kernel)
 */
public record CollectionScope(Set<Integer> tgids, long cgroupId, boolean executableOnly) {
    public CollectionScope {
        tgids = Set.copyOf(tgids);
    }

    /** Every mapping of the processes given. */
    public CollectionScope(Set<Integer> tgids, long cgroupId) {
        this(tgids, cgroupId, false);
    }

    /** Every process on the machine. */
    public static CollectionScope all() {
        return new CollectionScope(Set.of(), 0);
    }

    /** This scope, with snapshots of executable mappings only. */
    public CollectionScope executableMappingsOnly() {
        return new CollectionScope(tgids, cgroupId, true);
    }

    /** Whether {@code tgid} is in scope as far as the pid list goes (the cgroup is checked where the source can). */
    public boolean includes(int tgid) {
        return tgids.isEmpty() || tgids.contains(tgid);
    }

    /** Whether a snapshot in this scope holds {@code vma}. */
    public boolean holds(Vma vma) {
        return !executableOnly || vma.permissions().execute();
    }

    private boolean holdsAll(List<Vma> vmas) {
        for (Vma vma : vmas) {
            if (!holds(vma)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code snapshot} with only the mappings this scope holds: for a source that cannot leave the others out
     * where it reads them.
     */
    public VmaSnapshot select(VmaSnapshot snapshot) {
        if (!executableOnly || holdsAll(snapshot.vmas())) {
            return snapshot; // most often the source left the others out itself: nothing is copied
        }
        List<Vma> kept = snapshot.vmas().stream().filter(this::holds).toList();
        return new VmaSnapshot(snapshot.tgid(), snapshot.pid(), snapshot.comm(), snapshot.processStartTime(),
                snapshot.takenAt(), snapshot.source(), snapshot.truncated(), kept);
    }
}
