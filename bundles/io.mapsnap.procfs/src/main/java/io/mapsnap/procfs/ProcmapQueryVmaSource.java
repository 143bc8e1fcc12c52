package io.mapsnap.procfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.ProcMapEntry;
import io.mapsnap.kernel.bpf.ProcMapQuery;

/**
 * Binary queries of /proc/PID/maps with the PROCMAP_QUERY ioctl (Linux 6.11+): the same fields as the text without
 * formatting or parsing it, one syscall per VMA. Like the text it works only while the process lives, and the
 * kernel takes the mmap lock per query, so a map that changes during the enumeration is seen partly before and
 * partly after the change (each address still once, in order: {@link QueriedVma#ofEnumeration}); it ranks above the
 * text source and below the BPF walkers.
 */
@Component(property = VmaSource.SOURCE_PROPERTY + "=" + ProcmapQueryVmaSource.NAME)
@ServiceRanking(ProcmapQueryVmaSource.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.procmap-query)")
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
        if (tgid <= 0) {
            throw new VmaCaptureException(NAME + ": not a process id: " + tgid);
        }
        Path stat = PROC.resolve(Integer.toString(tgid)).resolve("stat");
        try {
            ProcessStat before = ProcessStat.parse(Files.readString(stat));
            Instant takenAt = Instant.now();
            List<ProcMapEntry> entries;
            // The open file is tied to the process it was opened for: a later pid reuse cannot redirect the queries.
            try (ProcMapQuery query = ProcMapQuery.open(tgid)) {
                entries = query.all();
            }
            ProcessStat after = ProcessStat.parse(Files.readString(stat));
            // A reused pid has another start time: the file opened may belong to a different process.
            if (before.startTime() != after.startTime()) {
                throw new ProcessGoneException(tgid, "the pid was reused while its maps were queried");
            }
            return new VmaSnapshot(tgid, tgid, before.comm(), before.startTime(), takenAt, NAME, false,
                    QueriedVma.ofEnumeration(entries));
        } catch (NoSuchFileException e) {
            throw new ProcessGoneException(tgid, "no " + e.getFile());
        } catch (BpfException e) {
            // ENOENT: /proc/PID is gone at open; ESRCH: the process exited (its mm is gone) during the queries.
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
                throw new ProcessGoneException(tgid, e.call() + " returned " + e.errnoName());
            }
            throw new VmaCaptureException(NAME + ": querying the maps of " + tgid + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(stat)) {
                throw new ProcessGoneException(tgid, "exited while its maps were queried");
            }
            throw new VmaCaptureException(NAME + ": cannot read " + stat + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new VmaCaptureException(NAME + ": " + stat + ": " + e.getMessage(), e);
        }
    }
}
