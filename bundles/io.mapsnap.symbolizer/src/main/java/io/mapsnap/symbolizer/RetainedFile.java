package io.mapsnap.symbolizer;

import java.nio.channels.FileChannel;

/** An open mapped file kept while its process lived, and the version it had when opened. */
record RetainedFile(FileChannel channel, FileVersion version) {
}
