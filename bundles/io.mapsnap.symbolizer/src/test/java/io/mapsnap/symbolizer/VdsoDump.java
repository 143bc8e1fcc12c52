package io.mapsnap.symbolizer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Copies this process's vDSO out of its memory, for llvm-nm. */
final class VdsoDump {
    private VdsoDump() {
    }

    static byte[] read(Path procSelf) throws Exception {
        String line = Files.readAllLines(procSelf.resolve("maps")).stream().filter(l -> l.endsWith(" [vdso]"))
                .findFirst().orElseThrow();
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        ByteBuffer image = ByteBuffer.allocate((int) (end - start));
        try (FileChannel mem = FileChannel.open(procSelf.resolve("mem"), StandardOpenOption.READ)) {
            while (image.hasRemaining() && mem.read(image, start + image.position()) > 0) {
                // pread of our own pages
            }
        }
        return image.array();
    }
}
