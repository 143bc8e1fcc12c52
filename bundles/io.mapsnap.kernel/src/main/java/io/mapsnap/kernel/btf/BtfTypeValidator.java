package io.mapsnap.kernel.btf;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The second pass over the type section: every name offset inside the string section, every type id in range,
 * every kind-specific value within what the kernel accepts. After it, decoding a record cannot fail.
 */
final class BtfTypeValidator {
    /** {@code BTF_MAX_SIZE} in {@code kernel/bpf/btf.c}: no type or section is larger. */
    static final int MAX_SIZE = 0x20000000;
    /**
     * {@code BTF_INT_MASK}: the top nibble of an INT's data word must be clear. Bits 8-15 are unused but tolerated,
     * as by the kernel; the encoding is bits 24-27, the offset 16-23, the number of bits 0-7.
     */
    private static final int INT_DATA_MASK = 0x0fffffff;

    private final BtfTypeSection types;
    private final BtfStrings strings;
    private final Btf base;

    private BtfTypeValidator(BtfTypeSection types, BtfStrings strings, Btf base) {
        this.types = types;
        this.strings = strings;
        this.base = base;
    }

    static void validate(BtfTypeSection types, BtfStrings strings, Btf base) throws BtfFormatException {
        BtfTypeValidator validator = new BtfTypeValidator(types, strings, base);
        for (int id = types.firstId(); id <= types.lastId(); id++) {
            validator.check(id);
        }
    }

    private void check(int id) throws BtfFormatException {
        BtfKind kind = types.kind(id);
        int at = types.offset(id);
        name(id, types.nameOffset(id), at);
        int vlen = types.vlen(id);
        int sizeOrType = types.sizeOrType(id);
        switch (kind) {
            case INT -> {
                size(id, sizeOrType, at + 8, 1, 2, 4, 8, 16);
                int data = types.word(id, 0);
                int encoding = data >>> 24 & 0x0f;
                int offset = data >>> 16 & 0xff;
                int bits = data & 0xff;
                if ((data & ~INT_DATA_MASK) != 0 || Integer.bitCount(encoding) > 1 || encoding > BtfInt.BOOL
                        || bits > 128 || offset + bits > sizeOrType * 8) {
                    throw new BtfFormatException(types.wordOffset(id, 0), "INT " + id + " has encoding " + encoding + ", bit offset " + offset
                            + " and " + bits + " bits, which do not fit a single encoding within its " + sizeOrType + " bytes");
                }
            }
            case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> reference(id, sizeOrType, at + 8);
            case FUNC -> {
                reference(id, sizeOrType, at + 8);
                BtfKind target = kindOf(sizeOrType);
                if (target != BtfKind.FUNC_PROTO) {
                    throw new BtfFormatException(at + 8, "FUNC " + id + " refers to type " + sizeOrType + " of kind " + target + ", expected FUNC_PROTO");
                }
                linkage(id, vlen, at + 4);
            }
            case ARRAY -> {
                reference(id, types.word(id, 0), types.wordOffset(id, 0));
                reference(id, types.word(id, 1), types.wordOffset(id, 1));
            }
            case STRUCT, UNION -> {
                size(id, sizeOrType, at + 8);
                namesAndReferences(id, vlen, 12, true);
            }
            case ENUM -> {
                size(id, sizeOrType, at + 8, 1, 2, 4, 8);
                namesAndReferences(id, vlen, 8, false);
            }
            case ENUM64 -> {
                size(id, sizeOrType, at + 8, 1, 2, 4, 8);
                namesAndReferences(id, vlen, 12, false);
            }
            case FUNC_PROTO -> {
                reference(id, sizeOrType, at + 8);
                namesAndReferences(id, vlen, 8, true);
            }
            case VAR -> {
                reference(id, sizeOrType, at + 8);
                linkage(id, types.word(id, 0), types.wordOffset(id, 0));
            }
            case DATASEC -> {
                size(id, sizeOrType, at + 8);
                for (int i = 0; i < vlen; i++) {
                    reference(id, types.word(id, 3 * i), types.wordOffset(id, 3 * i));
                    long offset = Integer.toUnsignedLong(types.word(id, 3 * i + 1));
                    long size = Integer.toUnsignedLong(types.word(id, 3 * i + 2));
                    if (offset + size > sizeOrType) {
                        throw new BtfFormatException(types.wordOffset(id, 3 * i + 1), "DATASEC " + id + " places variable " + i + " at [" + offset
                                + ", +" + size + "), outside its " + sizeOrType + " bytes");
                    }
                }
            }
            case FLOAT -> size(id, sizeOrType, at + 8, 2, 4, 8, 12, 16);
            case DECL_TAG -> {
                reference(id, sizeOrType, at + 8);
                int component = types.word(id, 0);
                if (component < -1) {
                    throw new BtfFormatException(types.wordOffset(id, 0), "DECL_TAG " + id + " has component_idx " + component + ", expected -1 or an index");
                }
            }
            case FWD -> {
                // Only a name and the kind flag; nothing to check.
            }
            case VOID -> throw new IllegalStateException("the scan rejects kind 0");
        }
    }

    /**
     * The entries after a record that start with a name offset, optionally followed by a type id: members,
     * parameters, enumerators. Most of vmlinux's words are these, so the loop reads the buffer directly.
     */
    private void namesAndReferences(int id, int vlen, int entrySize, boolean withType) throws BtfFormatException {
        ByteBuffer data = types.data();
        int stringEnd = strings.end();
        int lastId = types.lastId();
        int end = types.wordOffset(id, 0) + vlen * entrySize;
        for (int at = types.wordOffset(id, 0); at < end; at += entrySize) {
            int nameOffset = data.getInt(at);
            if (Integer.compareUnsigned(nameOffset, stringEnd) >= 0) {
                name(id, nameOffset, at);
            }
            if (withType && Integer.compareUnsigned(data.getInt(at + 4), lastId) > 0) {
                reference(id, data.getInt(at + 4), at + 4);
            }
        }
    }

    private void name(int id, int offset, int at) throws BtfFormatException {
        if (!strings.contains(offset)) {
            throw new BtfFormatException(at, "type " + id + " uses name offset " + Integer.toUnsignedString(offset)
                    + ", past the end of the string section at " + strings.end());
        }
    }

    private void reference(int id, int target, int at) throws BtfFormatException {
        if (Integer.compareUnsigned(target, types.lastId()) > 0) {
            throw new BtfFormatException(at, "type " + id + " (" + types.kind(id) + ") refers to type " + Integer.toUnsignedString(target)
                    + ", but the last type id is " + types.lastId());
        }
    }

    private static void linkage(int id, int code, int at) throws BtfFormatException {
        if (BtfLinkage.ofCode(code) == null) {
            throw new BtfFormatException(at, "type " + id + " has linkage " + Integer.toUnsignedString(code) + ", expected 0 (static), 1 (global) or 2 (extern)");
        }
    }

    private static void size(int id, int size, int at, int... allowed) throws BtfFormatException {
        if (allowed.length == 0) {
            if (Integer.compareUnsigned(size, MAX_SIZE) > 0) {
                throw new BtfFormatException(at, "type " + id + " claims " + Integer.toUnsignedString(size) + " bytes, more than the kernel's limit of " + MAX_SIZE);
            }
            return;
        }
        for (int a : allowed) {
            if (size == a) {
                return;
            }
        }
        throw new BtfFormatException(at, "type " + id + " has size " + Integer.toUnsignedString(size) + ", expected one of " + Arrays.toString(allowed));
    }

    private BtfKind kindOf(int id) {
        if (id == 0) {
            return BtfKind.VOID;
        }
        return types.owns(id) ? types.kind(id) : base.kind(id);
    }
}
