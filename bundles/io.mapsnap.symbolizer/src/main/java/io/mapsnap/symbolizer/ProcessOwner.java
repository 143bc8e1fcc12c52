package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** The user a live process runs as, read from /proc only while it is still the process a snapshot was taken of. */
final class ProcessOwner {
    private ProcessOwner() {
    }

    /**
     * The effective uid of {@code tgid} — the owner of files it creates, such as its perf map — if the process
     * with that id still has start time {@code startTime} (0: not known, not checked), else empty.
     */
    static OptionalInt read(Path procRoot, int tgid, long startTime) {
        try {
            Path dir = procRoot.resolve(Integer.toString(tgid));
            String status = Files.readString(dir.resolve("status"));
            if (startTime != 0 && startTime != startTime(Files.readString(dir.resolve("stat")))) {
                return OptionalInt.empty();
            }
            for (String line : status.split("\n")) {
                if (line.startsWith("Uid:")) {
                    // Uid: real effective saved filesystem
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length >= 2 ? OptionalInt.of(Integer.parseInt(ids[1])) : OptionalInt.empty();
                }
            }
            return OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** Field 22 of /proc/PID/stat; the name in field 2 may contain spaces and parentheses. */
    private static long startTime(String stat) {
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(rest[19]);
    }
}
