package io.mapsnap.procfs;

import java.nio.file.Files;
import java.nio.file.Path;

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
        return StatBracketedRead.snapshot(procRoot, tgid, NAME, () -> ProcMapsParser.parse(Files.readString(maps)));
    }
}
