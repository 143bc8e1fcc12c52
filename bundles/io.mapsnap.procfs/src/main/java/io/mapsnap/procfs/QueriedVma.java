package io.mapsnap.procfs;

import java.util.ArrayList;
import java.util.List;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.kernel.bpf.ProcMapEntry;
import io.mapsnap.kernel.bpf.ProcMapQuery;

/**
 * A PROCMAP_QUERY answer as the {@link Vma} that /proc/PID/maps prints for the same VMA.
 *
 * <p>No name needs fixing up: since the ioctl appeared (6.11, commit ed5d583a88a9) it names VMAs with the same
 * get_vma_name() as the text (fs/proc/task_mmu.c), so files come back as d_path() prints them (with
 * " (deleted)"), and the pseudo names ({@code [heap]}, {@code [stack]}, {@code [vdso]}, {@code [vvar]},
 * {@code [vvar_vclock]}, {@code [anon:NAME]}) are the text's; an empty name is an unnamed anonymous mapping, as in
 * the text (checked against /proc on the 6.18 host). The one line the text has and the ioctl does not is
 * [vsyscall], the gate area, which is no VMA of the mm and which no mapsnap source reports.
 */
final class QueriedVma {
    private QueriedVma() {
    }

    /**
     * The answers of one enumeration (each query from the previous answer's end) as a sorted, disjoint map. The lock
     * is taken per query, so between two queries a VMA may grow down over the address where the previous one ended
     * (a merge with a new neighbour, mremap): the answer then starts below that end, and only its part above it is
     * kept, so no address is reported twice. A map that does not change meanwhile passes through untouched.
     */
    static List<Vma> ofEnumeration(List<ProcMapEntry> entries) {
        List<Vma> vmas = new ArrayList<>(entries.size());
        long end = 0;
        for (ProcMapEntry e : entries) {
            Vma v = of(e);
            if (!vmas.isEmpty() && Long.compareUnsigned(v.start(), end) < 0) {
                if (Long.compareUnsigned(v.end(), end) <= 0) {
                    continue;
                }
                // A file mapping's offset belongs to its start; anonymous memory shows 0 wherever it starts.
                long offset = v.isFileBacked() ? v.offset() + (end - v.start()) : v.offset();
                v = new Vma(end, v.end(), offset, v.permissions(), v.deviceMajor(), v.deviceMinor(), v.inode(),
                        v.path(), null);
            }
            vmas.add(v);
            end = v.end();
        }
        return vmas;
    }

    static Vma of(ProcMapEntry e) {
        int f = e.flags();
        // PROCMAP_QUERY_VMA_SHARED is set from VM_MAYSHARE, exactly like the text's 's'.
        Permissions perms = new Permissions((f & ProcMapQuery.READABLE) != 0, (f & ProcMapQuery.WRITABLE) != 0,
                (f & ProcMapQuery.EXECUTABLE) != 0, (f & ProcMapQuery.SHARED) != 0);
        return new Vma(e.start(), e.end(), e.offset(), perms, e.devMajor(), e.devMinor(), e.inode(), e.name(), null);
    }
}
