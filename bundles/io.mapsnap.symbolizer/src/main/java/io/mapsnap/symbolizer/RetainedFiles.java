package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Open handles on files that processes mapped, taken while the processes lived, keyed by (device, inode): a binary
 * deleted or replaced after the snapshot is still read through its handle. Bounded; the least recently used handle
 * is closed when a new one needs room, and all are closed by {@link #close()}.
 *
 * <p>A handle can be closed under a reader that is using it (eviction, or an interrupt: a FileChannel closes
 * itself when a thread reading it is interrupted); that read fails cleanly and the frame stays unresolved.
 */
final class RetainedFiles implements AutoCloseable {
    private static final long REVERIFY_NANOS = 1_000_000_000L;
    private final BoundedLru<FileIdentity, RetainedFile> handles;

    RetainedFiles(int capacity) {
        this.handles = new BoundedLru<>(capacity, RetainedFiles::closeQuietly);
    }

    /**
     * Opens {@code mapFile} — a kernel map_files link, which opens the very file the VMA maps, deleted or not — and
     * keeps it when it is the file {@code expected}; does nothing when that same version is kept already.
     *
     * @return {@link Retention#KEPT} when a handle on {@code expected} is kept after the call; {@link Retention#GONE}
     *         when the link is not there (the process exited or unmapped it): its other links are likely gone too
     */
    Retention retain(Path mapFile, FileIdentity expected) {
        RetainedFile known = handles.get(expected);
        // The handle holds the inode, so no other file can take its number; only a rewrite in place changes what
        // it reads, looked for at most once a second per file (a build runs the same compiler hundreds of times).
        if (known != null && known.channel().isOpen() && known.verifiedWithin(REVERIFY_NANOS)) {
            return Retention.KEPT;
        }
        try {
            FileVersion before = FileVersion.of(mapFile);
            if (!before.identity().equals(expected) || !before.regular()) {
                return Retention.NOT_KEPT;
            }
            if (known != null && known.version().equals(before) && known.channel().isOpen()) {
                known.verifiedNow();
                return Retention.KEPT;
            }
            FileChannel channel = FileChannel.open(mapFile, StandardOpenOption.READ);
            // The process may have unmapped and mapped something else at the same range between stat and open.
            if (!FileVersion.of(mapFile).equals(before)) {
                channel.close();
                return Retention.NOT_KEPT;
            }
            // A different version under the same (device, inode) is a reused inode: the newer mapping wins.
            handles.put(expected, new RetainedFile(channel, before));
            return Retention.KEPT;
        } catch (NoSuchFileException e) {
            return Retention.GONE;
        } catch (FileSystemException e) {
            // ESRCH: the process is exiting (its map_files entries outlive its address space for a moment).
            return "No such process".equals(e.getReason()) ? Retention.GONE : Retention.NOT_KEPT;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // The mapping went away or cannot be opened: best effort, nothing to keep.
            return Retention.NOT_KEPT;
        }
    }

    /** What {@link #retain} did. */
    enum Retention {
        KEPT, NOT_KEPT, GONE
    }

    /** The kept handle on {@code identity}, or {@code null}. */
    RetainedFile get(FileIdentity identity) {
        RetainedFile kept = handles.get(identity);
        return kept != null && kept.channel().isOpen() ? kept : null;
    }

    int size() {
        return handles.size();
    }

    @Override
    public void close() {
        handles.clear();
    }

    private static void closeQuietly(RetainedFile file) {
        try {
            file.channel().close();
        } catch (IOException ignored) {
            // Closing a read-only file loses nothing.
        }
    }
}
