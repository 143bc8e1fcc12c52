package io.mapsnap.api.vma;

import java.util.Set;

/**
 * Which processes a collection covers.
 *
 * @param tgids the process ids to cover; empty means every process
 * @param cgroupId a cgroup v2 id (the inode number of its directory) to restrict to, or 0 for no restriction
 */
public record CollectionScope(Set<Integer> tgids, long cgroupId) {
    public CollectionScope {
        tgids = Set.copyOf(tgids);
    }

    /** Every process on the machine. */
    public static CollectionScope all() {
        return new CollectionScope(Set.of(), 0);
    }

    /** Whether {@code tgid} is in scope as far as the pid list goes (the cgroup is checked where the source can). */
    public boolean includes(int tgid) {
        return tgids.isEmpty() || tgids.contains(tgid);
    }
}
