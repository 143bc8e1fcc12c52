package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The symbols of the vDSO. The kernel maps the same vDSO image into every 64-bit process of a boot, so ours —
 * read from our own memory (/proc/self/mem at our [vdso] mapping) — names the vDSO frames of any other process
 * whose [vdso] mapping has the same size. No file is needed: /lib/modules/RELEASE/vdso/ exists only where the
 * distribution packages it, and may not match the running kernel.
 */
final class VdsoImage {
    private static final long MAX_BYTES = 1 << 20;

    private final Path procSelf;
    private final ModuleLoader loader;
    private volatile Loaded loaded;

    /** The image's size in memory and its symbols; size 0 when unavailable. */
    record Loaded(long size, ModuleSymbols symbols) {
    }

    VdsoImage(Path procSelf, ModuleLoader loader) {
        this.procSelf = procSelf;
        this.loader = loader;
    }

    /** Our vDSO, loaded once; its symbols carry the reason when it could not be read. */
    Loaded get() {
        Loaded seen = loaded;
        if (seen == null) {
            synchronized (this) {
                seen = loaded;
                if (seen == null) {
                    seen = load();
                    loaded = seen;
                }
            }
        }
        return seen;
    }

    private Loaded load() {
        try {
            String line = Files.readAllLines(procSelf.resolve("maps")).stream()
                    .filter(l -> l.endsWith(" [vdso]")).findFirst().orElse(null);
            if (line == null) {
                return new Loaded(0, ModuleSymbols.unreadable(null, "this process has no [vdso] mapping"));
            }
            int dash = line.indexOf('-');
            long start = Long.parseUnsignedLong(line, 0, dash, 16);
            long end = Long.parseUnsignedLong(line, dash + 1, line.indexOf(' '), 16);
            if (end - start > MAX_BYTES || end <= start) {
                return new Loaded(0, ModuleSymbols.unreadable(null, "[vdso] of " + (end - start) + " bytes"));
            }
            ByteBuffer image = ByteBuffer.allocate((int) (end - start));
            try (FileChannel mem = FileChannel.open(procSelf.resolve("mem"), StandardOpenOption.READ)) {
                while (image.hasRemaining() && mem.read(image, start + image.position()) > 0) {
                    // pread of our own mapped pages
                }
            }
            ElfReader reader = ElfReader.read(ElfBytes.of(image.array()));
            return new Loaded(end - start, loader.load(reader, reader.buildId()));
        } catch (IOException | ElfFormatException | RuntimeException e) {
            return new Loaded(0, ModuleSymbols.unreadable(null, "own [vdso] unreadable: " + e));
        }
    }
}
