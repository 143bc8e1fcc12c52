package io.mapsnap.procfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * The last resort: reads /proc/PID/maps as text. Works on any kernel, but only while the process lives —
 * exactly the limitation the BPF sources remove — so it has the lowest rank.
 */
@Component(property = VmaSource.SOURCE_PROPERTY + "=" + ProcfsVmaSource.NAME)
@ServiceRanking(ProcfsVmaSource.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.procfs-maps)")
public final class ProcfsVmaSource implements VmaSource {
    static final String NAME = "procfs";
    static final int RANKING = 0;

    private final Path procRoot;

    @Activate
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
        if (tgid <= 0) {
            throw new VmaCaptureException("procfs: not a process id: " + tgid);
        }
        Path dir = procRoot.resolve(Integer.toString(tgid));
        try {
            ProcessStat before = ProcessStat.parse(Files.readString(dir.resolve("stat")));
            Instant takenAt = Instant.now();
            String text = Files.readString(dir.resolve("maps"));
            ProcessStat after = ProcessStat.parse(Files.readString(dir.resolve("stat")));
            // A reused pid has another start time: the maps may belong to a different process.
            if (before.startTime() != after.startTime()) {
                throw new ProcessGoneException(tgid, "the pid was reused while its maps were read");
            }
            if (text.isEmpty() && !Files.exists(dir)) {
                throw new ProcessGoneException(tgid, "exited while its maps were read");
            }
            return new VmaSnapshot(tgid, tgid, before.comm(), before.startTime(), takenAt, NAME, false,
                    ProcMapsParser.parse(text));
        } catch (NoSuchFileException e) {
            throw new ProcessGoneException(tgid, "no " + e.getFile());
        } catch (IOException e) {
            // ESRCH from a read of an exiting process surfaces as an IOException with that message.
            if (!Files.exists(dir)) {
                throw new ProcessGoneException(tgid, "exited while its maps were read");
            }
            throw new VmaCaptureException("procfs: cannot read " + dir + "/maps: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new VmaCaptureException("procfs: " + dir + ": " + e.getMessage(), e);
        }
    }
}
