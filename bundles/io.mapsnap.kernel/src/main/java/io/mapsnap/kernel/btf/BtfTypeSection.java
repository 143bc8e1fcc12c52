package io.mapsnap.kernel.btf;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where each type record of the type section starts, found by one pass that checks only that every record (its
 * 12-byte {@code struct btf_type} and the kind-specific data after it) lies inside the section. Reading the
 * fields of a record goes through here too.
 */
final class BtfTypeSection {
    /** {@code sizeof(struct btf_type)}: name_off, info, size/type. */
    static final int RECORD = 12;
    /** The bits of {@code info} that mean something: vlen, kind, kind_flag. The kernel rejects the others. */
    private static final int INFO_MASK = 0x9f00ffff;

    private final ByteBuffer data;
    private final int firstId;
    private final int[] offsets;
    private final byte[] kinds;

    private BtfTypeSection(ByteBuffer data, int firstId, int[] offsets, byte[] kinds) {
        this.data = data;
        this.firstId = firstId;
        this.offsets = offsets;
        this.kinds = kinds;
    }

    static BtfTypeSection scan(ByteBuffer data, int start, int end, int firstId) throws BtfFormatException {
        int capacity = Math.max(16, (end - start) / 32);
        int[] offsets = new int[capacity];
        byte[] kinds = new byte[capacity];
        int count = 0;
        int at = start;
        while (at < end) {
            int id = firstId + count;
            if (end - at < RECORD) {
                throw new BtfFormatException(at, "type " + id + " needs a " + RECORD + "-byte record, but the type section ends at " + end);
            }
            int info = data.getInt(at + 4);
            BtfKind kind = BtfKind.ofCode(info >>> 24 & 0x1f);
            if (kind == null || kind == BtfKind.VOID) {
                throw new BtfFormatException(at + 4, "type " + id + " has kind " + (info >>> 24 & 0x1f) + ", expected one of 1.." + (BtfKind.values().length - 1));
            }
            if ((info & ~INFO_MASK) != 0) {
                throw new BtfFormatException(at + 4, "type " + id + " has reserved bits set in info 0x" + Integer.toHexString(info));
            }
            int vlen = info & 0xffff;
            int trailing = trailingBytes(kind, vlen);
            if (trailing > end - at - RECORD) {
                throw new BtfFormatException(at, "type " + id + " of kind " + kind + describe(kind, vlen, trailing)
                        + ", which run past the end of the type section at " + end);
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                kinds = Arrays.copyOf(kinds, count * 2);
            }
            offsets[count] = at;
            kinds[count] = (byte) kind.code();
            count++;
            if (firstId + count < 0) {
                throw new BtfFormatException(at, "type ids of base and split BTF together exceed 2^31");
            }
            at += RECORD + trailing;
        }
        return new BtfTypeSection(data, firstId, Arrays.copyOf(offsets, count), Arrays.copyOf(kinds, count));
    }

    /** Bytes after the 12-byte record; at most 12 * 0xffff, so no int overflow. */
    static int trailingBytes(BtfKind kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> 12 * vlen;
            case ENUM, FUNC_PROTO -> 8 * vlen;
            case VOID, PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG -> 0;
        };
    }

    private static String describe(BtfKind kind, int vlen, int trailing) {
        return switch (kind) {
            case STRUCT, UNION -> " claims " + vlen + " members";
            case ENUM, ENUM64 -> " claims " + vlen + " values";
            case FUNC_PROTO -> " claims " + vlen + " parameters";
            case DATASEC -> " claims " + vlen + " variables";
            default -> " needs " + trailing + " bytes of data";
        };
    }

    ByteBuffer data() {
        return data;
    }

    int firstId() {
        return firstId;
    }

    int count() {
        return offsets.length;
    }

    /** The highest id in this section (or {@code firstId - 1} when it is empty). */
    int lastId() {
        return firstId + offsets.length - 1;
    }

    boolean owns(int id) {
        return id >= firstId && id - firstId < offsets.length;
    }

    int offset(int id) {
        return offsets[id - firstId];
    }

    BtfKind kind(int id) {
        return BtfKind.ofCode(kinds[id - firstId]);
    }

    int nameOffset(int id) {
        return data.getInt(offset(id));
    }

    int vlen(int id) {
        return data.getInt(offset(id) + 4) & 0xffff;
    }

    boolean kindFlag(int id) {
        return data.getInt(offset(id) + 4) < 0;
    }

    /** The {@code size} or {@code type} word, by kind. */
    int sizeOrType(int id) {
        return data.getInt(offset(id) + 8);
    }

    /** The word at {@code index} (counting 4-byte words) after the 12-byte record. */
    int word(int id, int index) {
        return data.getInt(offset(id) + RECORD + 4 * index);
    }

    /** The absolute blob offset of that word, for error messages. */
    int wordOffset(int id, int index) {
        return offset(id) + RECORD + 4 * index;
    }
}
