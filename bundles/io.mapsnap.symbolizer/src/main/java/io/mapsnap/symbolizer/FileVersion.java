package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * A file's identity plus what changes when it is rewritten in place: the cache key of a file without build ID,
 * and the evidence that a path still names the file a VMA mapped.
 *
 * @param identity device and inode
 * @param size size in bytes
 * @param modifiedNanos modification time in nanoseconds since the epoch
 * @param owner the owning uid
 * @param regular whether it is a regular file
 */
record FileVersion(FileIdentity identity, long size, long modifiedNanos, int owner, boolean regular) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    /** stat (or lstat with {@code NOFOLLOW_LINKS}) of {@code path}. */
    static FileVersion of(Path path, LinkOption... options) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,uid,mode", options);
        FileTime modified = (FileTime) a.get("lastModifiedTime");
        long nanos = modified.to(java.util.concurrent.TimeUnit.SECONDS) * 1_000_000_000L
                + modified.toInstant().getNano();
        return new FileVersion(FileIdentity.of((Long) a.get("dev"), (Long) a.get("ino")), (Long) a.get("size"), nanos,
                (Integer) a.get("uid"), ((Integer) a.get("mode") & S_IFMT) == S_IFREG);
    }
}
