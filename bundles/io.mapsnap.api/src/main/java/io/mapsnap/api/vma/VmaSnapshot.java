package io.mapsnap.api.vma;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A process's memory map as one source saw it at one moment.
 *
 * @param tgid the process (thread group) id
 * @param pid the thread whose view was taken (the group leader for on-demand snapshots)
 * @param comm the process name, at most 15 characters as the kernel keeps it
 * @param processStartTime the process's start time in clock ticks since boot (field 22 of /proc/PID/stat),
 *        which together with the tgid identifies the process across pid reuse
 * @param takenAt when the snapshot was taken (BPF sources convert from CLOCK_BOOTTIME)
 * @param source the name of the source that took it ({@code kfunc}, {@code legacy}, {@code procfs}, …)
 * @param truncated whether the source stopped before the last VMA (a configured bound was reached)
 * @param vmas the VMAs in address order
 */
public record VmaSnapshot(int tgid, int pid, String comm, long processStartTime, java.time.Instant takenAt,
        String source, boolean truncated, List<Vma> vmas) {

    public VmaSnapshot {
        Objects.requireNonNull(comm, "comm");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(takenAt, "takenAt");
        vmas = List.copyOf(vmas);
    }

    /** The VMA holding {@code address}, if any (binary search: the VMAs are sorted and disjoint). */
    public Optional<Vma> find(long address) {
        int lo = 0;
        int hi = vmas.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Vma v = vmas.get(mid);
            if (Long.compareUnsigned(address, v.start()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(address, v.end()) >= 0) {
                lo = mid + 1;
            } else {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The snapshot in /proc/PID/maps format, one line per VMA, each ending in a newline. */
    public String toProcMaps() {
        StringBuilder sb = new StringBuilder();
        for (Vma v : vmas) {
            sb.append(v.toProcMapsLine()).append('\n');
        }
        return sb.toString();
    }
}
