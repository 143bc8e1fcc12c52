package io.mapsnap.kernel.btf;

import java.nio.ByteOrder;

/**
 * The validated {@code struct btf_header}: byte order from the magic, and the absolute bounds of the type and
 * string sections within the blob.
 */
record BtfHeader(ByteOrder order, int length, int typeStart, int typeEnd, int stringStart, int stringEnd) {
    static final int MAGIC = 0xeb9f;
    static final int VERSION = 1;
    /** {@code sizeof(struct btf_header)}: magic, version, flags, hdr_len, type_off, type_len, str_off, str_len. */
    static final int FIXED_LENGTH = 24;

    static BtfHeader read(byte[] blob) throws BtfFormatException {
        if (blob.length < 2) {
            throw new BtfFormatException(0, "expected the magic 0xeb9f, but the blob has only " + blob.length + " bytes");
        }
        int first = blob[0] & 0xff;
        int second = blob[1] & 0xff;
        ByteOrder order;
        if ((second << 8 | first) == MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if ((first << 8 | second) == MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new BtfFormatException(0, String.format("expected the magic 0xeb9f in either byte order, found bytes %02x %02x", first, second));
        }
        if (blob.length < FIXED_LENGTH) {
            throw new BtfFormatException(blob.length, "the header needs " + FIXED_LENGTH + " bytes, but the blob ends after " + blob.length);
        }
        if (blob[2] != VERSION) {
            throw new BtfFormatException(2, "expected BTF version " + VERSION + ", found " + (blob[2] & 0xff));
        }
        // The kernel rejects any flag; none is defined that would change how the sections read.
        if (blob[3] != 0) {
            throw new BtfFormatException(3, "expected flags 0, found 0x" + Integer.toHexString(blob[3] & 0xff));
        }
        long hdrLen = u32(blob, 4, order);
        if (hdrLen < FIXED_LENGTH || hdrLen > blob.length) {
            throw new BtfFormatException(4, "hdr_len " + hdrLen + " must lie between " + FIXED_LENGTH + " and the blob size " + blob.length);
        }
        // A longer header from a newer encoder is only safe to read if its extra fields are unused, as in the kernel.
        for (int i = FIXED_LENGTH; i < hdrLen; i++) {
            if (blob[i] != 0) {
                throw new BtfFormatException(i, "hdr_len " + hdrLen + " announces header fields this reader does not know, and they are not zero");
            }
        }
        long typeOff = u32(blob, 8, order);
        long typeLen = u32(blob, 12, order);
        long strOff = u32(blob, 16, order);
        long strLen = u32(blob, 20, order);
        long dataLen = blob.length - hdrLen;
        if (typeOff + typeLen > dataLen) {
            throw new BtfFormatException(8, "type section [" + typeOff + ", +" + typeLen + ") runs past the " + dataLen + " bytes after the header");
        }
        if (strOff + strLen > dataLen) {
            throw new BtfFormatException(16, "string section [" + strOff + ", +" + strLen + ") runs past the " + dataLen + " bytes after the header");
        }
        if (typeLen > 0 && strLen > 0 && typeOff < strOff + strLen && strOff < typeOff + typeLen) {
            throw new BtfFormatException(8, "type section [" + typeOff + ", +" + typeLen + ") overlaps string section [" + strOff + ", +" + strLen + ")");
        }
        int typeStart = (int) (hdrLen + typeOff);
        int stringStart = (int) (hdrLen + strOff);
        return new BtfHeader(order, (int) hdrLen, typeStart, (int) (typeStart + typeLen), stringStart, (int) (stringStart + strLen));
    }

    private static long u32(byte[] blob, int at, ByteOrder order) {
        long b0 = blob[at] & 0xff;
        long b1 = blob[at + 1] & 0xff;
        long b2 = blob[at + 2] & 0xff;
        long b3 = blob[at + 3] & 0xff;
        return order == ByteOrder.LITTLE_ENDIAN ? b3 << 24 | b2 << 16 | b1 << 8 | b0 : b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }
}
