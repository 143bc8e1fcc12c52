package io.mapsnap.symbolizer;

import java.nio.channels.FileChannel;

/**
 * An open mapped file kept while its process lived, the version it had when opened, and when a path to it last
 * showed that version.
 */
final class RetainedFile {
    private final FileChannel channel;
    private final FileVersion version;
    private volatile long verifiedNanos;

    RetainedFile(FileChannel channel, FileVersion version) {
        this.channel = channel;
        this.version = version;
        this.verifiedNanos = System.nanoTime();
    }

    FileChannel channel() {
        return channel;
    }

    FileVersion version() {
        return version;
    }

    /** Whether a path showed this version within the last {@code nanos}. */
    boolean verifiedWithin(long nanos) {
        return System.nanoTime() - verifiedNanos < nanos;
    }

    void verifiedNow() {
        verifiedNanos = System.nanoTime();
    }
}
