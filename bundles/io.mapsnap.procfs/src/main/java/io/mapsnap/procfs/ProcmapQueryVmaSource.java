package io.mapsnap.procfs;

import java.nio.file.Path;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.ProcMapQuery;

/**
 * Binary queries of /proc/PID/maps with the PROCMAP_QUERY ioctl (Linux 6.11+): the same fields as the text without
 * formatting or parsing it, one syscall per VMA. Like the text it works only while the process lives, and the
 * kernel takes the mmap lock per query, so a map that changes during the enumeration is seen partly before and
 * partly after the change (each address still once, in order: {@link QueriedVma#ofEnumeration}); it ranks above the
 * text source and below the BPF walkers.
 */
public final class ProcmapQueryVmaSource implements VmaSource {
    static final String NAME = "procmap-query";
    static final int RANKING = 100;

    private static final Path PROC = Path.of("/proc");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VmaSnapshot snapshot(int tgid) throws VmaCaptureException {
        return StatBracketedRead.snapshot(PROC, tgid, NAME, () -> {
            // The open file is tied to the process it was opened for: a later pid reuse cannot redirect the queries.
            try (ProcMapQuery query = ProcMapQuery.open(tgid)) {
                return QueriedVma.ofEnumeration(query.all());
            } catch (BpfException e) {
                // ENOENT: /proc/PID is gone at open; ESRCH: the process exited (its mm is gone) during the queries.
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
                    throw new ProcessGoneException(tgid, e.call() + " returned " + e.errnoName());
                }
                throw new VmaCaptureException(NAME + ": querying the maps of " + tgid + " failed: " + e.getMessage(), e);
            }
        });
    }
}
