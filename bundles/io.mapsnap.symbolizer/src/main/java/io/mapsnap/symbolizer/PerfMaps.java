package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Finds and reads the perf map of a process the way perf does, treating the file as untrusted: it lives in a
 * world-writable directory, so anyone could have put it there. Refused unless it is a regular file (lstat: no
 * symlink, no FIFO that would block the open), owned by root or by the process's user (recorded by
 * {@link #recordOwner} while the process lived), and at most {@code maxBytes}; it is opened with O_NOFOLLOW and
 * must still be the same inode afterwards. Because /tmp is sticky, once lstat showed an entry owned by root or
 * the process's user, nobody else can swap it before the open. Parsed maps are cached per process and file
 * version (a running JIT appends to its map).
 */
final class PerfMaps {
    private record Loaded(FileVersion version, PerfMap map) {
    }

    private record ProcessKey(int tgid, long startTime) {
    }

    private final Path directory;
    private final long maxBytes;
    private final int maxLines;
    private final ProblemLog problems;
    private final BoundedLru<Integer, Loaded> maps = new BoundedLru<>(16);
    private final BoundedLru<ProcessKey, Integer> owners = new BoundedLru<>(4096);

    PerfMaps(Path directory, long maxBytes, int maxLines, ProblemLog problems) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
        this.problems = problems;
    }

    /** Remembers the (effective) uid the process ran as, the owner its perf map may have besides root. */
    void recordOwner(int tgid, long startTime, int uid) {
        owners.put(new ProcessKey(tgid, startTime), uid);
    }

    /**
     * Whether that process's owner is remembered. It is read once per process: a uid it takes later is not seen,
     * which can only refuse its perf map (logged), never accept one another user wrote.
     */
    boolean knowsOwner(int tgid, long startTime) {
        return owners.get(new ProcessKey(tgid, startTime)) != null;
    }

    Path path(int tgid) {
        return directory.resolve("perf-" + tgid + ".map");
    }

    /** The process's perf map, or {@code null} when there is none or it was refused (logged once). */
    PerfMap forProcess(int tgid, long startTime) {
        Path path = path(tgid);
        FileVersion version;
        try {
            version = FileVersion.of(path, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            problems.once(path.toString(), "perf map unreadable: " + e);
            return null;
        }
        String refusal = refusal(version, owners.get(new ProcessKey(tgid, startTime)));
        if (refusal != null) {
            problems.once(path + "@" + version.identity(), "perf map refused: " + refusal);
            return null;
        }
        Loaded loaded = maps.get(tgid);
        if (loaded != null && loaded.version().equals(version)) {
            return loaded.map();
        }
        try {
            byte[] text = read(path, version);
            PerfMap map = PerfMap.parse(text, maxLines);
            maps.put(tgid, new Loaded(version, map));
            return map;
        } catch (IOException | RuntimeException e) {
            problems.once(path + "@" + version.identity(), "perf map refused: " + e.getMessage());
            return null;
        }
    }

    private String refusal(FileVersion version, Integer processOwner) {
        if (!version.regular()) {
            return "not a regular file (a symlink, FIFO or directory)";
        }
        if (version.owner() != 0 && (processOwner == null || version.owner() != processOwner)) {
            return "owned by uid " + version.owner() + ", neither root nor the process's user"
                    + (processOwner == null ? " (not recorded: the process was not retained while alive)" : " " + processOwner);
        }
        if (version.size() > maxBytes) {
            return version.size() + " bytes, over the bound of " + maxBytes;
        }
        return null;
    }

    private byte[] read(Path path, FileVersion version) throws IOException {
        byte[] text;
        boolean mayBeCut;
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(version.size(), 0)) + 1);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // A JIT may be appending; what was there at lstat time plus a little is enough.
            }
            mayBeCut = buffer.position() > version.size();
            text = Arrays.copyOf(buffer.array(), (int) Math.min(buffer.position(), maxBytes));
        }
        if (!FileVersion.of(path, LinkOption.NOFOLLOW_LINKS).identity().equals(version.identity())) {
            throw new IOException("replaced while it was read");
        }
        if (!mayBeCut) {
            return text;
        }
        // Read past what lstat saw (a JIT appending): the last line may be half written; drop it.
        int end = text.length;
        while (end > 0 && text[end - 1] != '\n') {
            end--;
        }
        return end == 0 ? text : Arrays.copyOf(text, end);
    }
}
