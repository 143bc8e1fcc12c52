package io.mapsnap.symbolizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.tukaani.xz.XZInputStream;

/**
 * The .gnu_debugdata section (GDB's "MiniDebugInfo", shipped by Fedora and some Debian builds): an xz-compressed
 * ELF file whose .symtab holds the local functions that .dynsym lacks.
 */
final class MiniDebugInfo {
    static final String SECTION = ".gnu_debugdata";
    /** The xz decoder's own memory (mostly the dictionary), in KiB: presets use at most 64 MiB. */
    private static final int DECODER_MEMORY_KIB = 64 * 1024;

    private MiniDebugInfo() {
    }

    /** The embedded ELF image, refused when the stream is corrupt or inflates beyond {@code maxBytes}. */
    static byte[] decompress(byte[] xz, int maxBytes) throws ElfFormatException {
        try (XZInputStream in = new XZInputStream(new ByteArrayInputStream(xz), DECODER_MEMORY_KIB)) {
            byte[] image = in.readNBytes(maxBytes + 1);
            if (image.length > maxBytes) {
                throw new ElfFormatException(SECTION + " inflates beyond " + maxBytes + " bytes", 0);
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // XZ for Java reports corrupt input as IOException subclasses; RuntimeException guards the rest.
            throw new ElfFormatException(SECTION + " is not a valid xz stream: " + e, 0);
        }
    }
}
