package io.mapsnap.procfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.proc.ProcessStat;

/**
 * Reads a process's maps between two reads of its /proc/PID/stat: a different start time afterwards means the
 * pid was reused during the read and the maps may belong to another process. Both /proc-based sources read
 * this way; they differ only in how they read the maps.
 */
final class StatBracketedRead {
    /** Reads the maps of the process; I/O failures of an exiting process surface as IOException. */
    interface MapsReader {
        List<Vma> read() throws IOException, VmaCaptureException;
    }

    private StatBracketedRead() {
    }

    static VmaSnapshot snapshot(Path procRoot, int tgid, String source, MapsReader reader)
            throws VmaCaptureException {
        if (tgid <= 0) {
            throw new VmaCaptureException(source + ": not a process id: " + tgid);
        }
        Path dir = procRoot.resolve(Integer.toString(tgid));
        Path stat = dir.resolve("stat");
        try {
            ProcessStat before = ProcessStat.parse(Files.readString(stat));
            Instant takenAt = Instant.now();
            List<Vma> vmas = reader.read();
            ProcessStat after = ProcessStat.parse(Files.readString(stat));
            if (before.startTime() != after.startTime()) {
                throw new ProcessGoneException(tgid, "the pid was reused while its maps were read");
            }
            if (vmas.isEmpty() && !Files.exists(dir)) {
                throw new ProcessGoneException(tgid, "exited while its maps were read");
            }
            return new VmaSnapshot(tgid, tgid, before.comm(), before.startTime(), takenAt, source, false, vmas);
        } catch (NoSuchFileException e) {
            throw new ProcessGoneException(tgid, "no " + e.getFile());
        } catch (IOException e) {
            // ESRCH from a read of an exiting process surfaces as an IOException.
            if (!Files.exists(dir)) {
                throw new ProcessGoneException(tgid, "exited while its maps were read");
            }
            throw new VmaCaptureException(source + ": cannot read the maps of " + tgid + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new VmaCaptureException(source + ": " + dir + ": " + e.getMessage(), e);
        }
    }
}
