package io.mapsnap.procfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * The last resort: reads /proc/PID/maps as text. Works on any kernel, but only while the process lives —
 * exactly the limitation the BPF sources remove — so it has the lowest rank.
 */
public final class ProcfsVmaSource implements VmaSource {
    static final String NAME = "procfs";
    static final int RANKING = 0;
    private static final int READ_ATTEMPTS = 5;

    private final Path procRoot;

    public ProcfsVmaSource() {
        this(Path.of("/proc"));
    }

    ProcfsVmaSource(Path procRoot) {
        this.procRoot = procRoot;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VmaSnapshot snapshot(int tgid) throws VmaCaptureException {
        Path maps = procRoot.resolve(tgid + "/maps");
        return StatBracketedRead.snapshot(procRoot, tgid, NAME, () -> wholeRead(tgid, maps));
    }

    /**
     * The text, read again while it does not describe one map: the kernel fills /proc/PID/maps a buffer per read(2)
     * and lets go of the map between reads (and 6.17+ reads it under per-VMA locks), so a process that maps and
     * unmaps meanwhile can show VMAs out of order or overlapping (seen on 7.3 in the kernel matrix).
     */
    private static List<Vma> wholeRead(int tgid, Path maps) throws IOException, VmaCaptureException {
        String why = null;
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            List<Vma> vmas = ProcMapsParser.parse(Files.readString(maps));
            why = firstOverlap(vmas);
            if (why == null) {
                return vmas;
            }
        }
        throw new VmaCaptureException(NAME + ": " + READ_ATTEMPTS + " reads of " + maps + " were not one map; the"
                + " last: " + why);
    }

    /** Where the VMAs stop being sorted and disjoint, or null. */
    static String firstOverlap(List<Vma> vmas) {
        for (int i = 1; i < vmas.size(); i++) {
            if (Long.compareUnsigned(vmas.get(i - 1).end(), vmas.get(i).start()) > 0) {
                return vmas.get(i - 1) + " / " + vmas.get(i);
            }
        }
        return null;
    }
}
