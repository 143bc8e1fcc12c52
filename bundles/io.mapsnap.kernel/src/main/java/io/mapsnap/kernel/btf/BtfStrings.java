package io.mapsnap.kernel.btf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The string section: NUL-terminated names addressed by offset. In split BTF, offsets below the base's end refer
 * to the base's strings and the rest continue into this section.
 */
final class BtfStrings {
    private final BtfStrings base;
    private final byte[] blob;
    private final int start;
    private final int length;
    /** Offset that the first byte of this section answers to: 0, or the end of the base's strings. */
    private final int firstOffset;

    private BtfStrings(BtfStrings base, byte[] blob, int start, int length, int firstOffset) {
        this.base = base;
        this.blob = blob;
        this.start = start;
        this.length = length;
        this.firstOffset = firstOffset;
    }

    static BtfStrings of(byte[] blob, int start, int end, BtfStrings base) throws BtfFormatException {
        int length = end - start;
        int firstOffset = base == null ? 0 : base.end();
        if (base == null && (length == 0 || blob[start] != 0)) {
            // Offset 0 means "no name"; it must read as the empty string. A split blob has no such rule.
            throw new BtfFormatException(start, "a base string section must start with the empty string (a NUL byte)"
                    + (length == 0 ? ", but it is empty" : "; is this split BTF parsed without its base?"));
        }
        if (length > 0 && blob[end - 1] != 0) {
            // With the last byte NUL, every offset inside the section reads a terminated string.
            throw new BtfFormatException(end - 1, "the string section must end with a NUL byte");
        }
        if ((long) firstOffset + length > Integer.MAX_VALUE) {
            throw new BtfFormatException(start, "string offsets of base and split BTF together exceed 2^31");
        }
        return new BtfStrings(base, blob, start, length, firstOffset);
    }

    /** One past the highest valid offset, counting the base's strings. */
    int end() {
        return firstOffset + length;
    }

    boolean contains(int offset) {
        return offset >= 0 && offset < end();
    }

    String get(int offset) {
        if (offset < firstOffset) {
            return base.get(offset);
        }
        int from = start + offset - firstOffset;
        int to = nul(from);
        return to == from ? "" : new String(blob, from, to - from, StandardCharsets.UTF_8);
    }

    /** Hash of the string's bytes, equal to {@link #hash(byte[])} of its UTF-8 encoding. */
    int hash(int offset) {
        if (offset < firstOffset) {
            return base.hash(offset);
        }
        int h = 0;
        for (int i = start + offset - firstOffset; blob[i] != 0; i++) {
            h = 31 * h + (blob[i] & 0xff);
        }
        return h;
    }

    static int hash(byte[] utf8) {
        int h = 0;
        for (byte b : utf8) {
            h = 31 * h + (b & 0xff);
        }
        return h;
    }

    boolean matches(int offset, byte[] utf8) {
        if (offset < firstOffset) {
            return base.matches(offset, utf8);
        }
        int from = start + offset - firstOffset;
        int end = start + length;
        if (utf8.length >= end - from) {
            return false;
        }
        return blob[from + utf8.length] == 0 && Arrays.equals(blob, from, from + utf8.length, utf8, 0, utf8.length);
    }

    private int nul(int from) {
        int i = from;
        while (blob[i] != 0) {
            i++;
        }
        return i;
    }
}
