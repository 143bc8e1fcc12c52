package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The bytes of an ELF image: an open file (read with positional reads, so one channel serves several threads) or
 * an array (a decompressed MiniDebugInfo image, the vdso copied from memory). Every read is range-checked against
 * {@link #size()} by the caller's {@link #read} and never allocates more than asked.
 */
sealed interface ElfBytes {
    long size();

    /** Reads exactly {@code length} bytes at {@code offset}, little-endian. */
    ByteBuffer read(long offset, int length) throws IOException, ElfFormatException;

    static ElfBytes of(FileChannel channel) throws IOException {
        return new Channel(channel, channel.size());
    }

    static ElfBytes of(byte[] bytes) {
        return new Array(bytes);
    }

    /** Whether [offset, offset + length) lies inside [0, size), without overflowing. */
    static boolean inside(long offset, long length, long size) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    record Channel(FileChannel channel, long size) implements ElfBytes {
        @Override
        public ByteBuffer read(long offset, int length) throws IOException, ElfFormatException {
            if (!inside(offset, length, size)) {
                throw new ElfFormatException(length + " bytes past the end of the " + size + "-byte file", offset);
            }
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    // The file shrank after we measured it (truncated while we read).
                    throw new ElfFormatException("file ends early", offset + buffer.position());
                }
            }
            return buffer.flip();
        }
    }

    record Array(byte[] bytes) implements ElfBytes {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public ByteBuffer read(long offset, int length) throws ElfFormatException {
            if (!inside(offset, length, bytes.length)) {
                throw new ElfFormatException(length + " bytes past the end of the " + bytes.length + "-byte image", offset);
            }
            return ByteBuffer.wrap(bytes, (int) offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
