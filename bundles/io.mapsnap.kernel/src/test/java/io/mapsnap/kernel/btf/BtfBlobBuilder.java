package io.mapsnap.kernel.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small BTF blobs for tests, in either byte order, as base or split BTF. Type ids are handed out in the
 * order types are added; forward references are fine since ids are plain numbers.
 */
final class BtfBlobBuilder {
    private final int firstId;
    private final int firstStringOffset;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    /** Each type as its u32 words: name_off, info, size/type, then the kind-specific words. */
    private final List<int[]> types = new ArrayList<>();

    private BtfBlobBuilder(int firstId, int firstStringOffset) {
        this.firstId = firstId;
        this.firstStringOffset = firstStringOffset;
        if (firstId == 1) {
            strings.write(0);
            stringOffsets.put("", 0);
        } else {
            // Split BTF reuses the base's empty string at offset 0.
            stringOffsets.put("", 0);
        }
    }

    static BtfBlobBuilder base() {
        return new BtfBlobBuilder(1, 0);
    }

    /** Split BTF continuing a base whose last id is {@code baseTypeCount} and whose strings end at {@code baseStringEnd}. */
    static BtfBlobBuilder splitOn(int baseTypeCount, int baseStringEnd) {
        return new BtfBlobBuilder(baseTypeCount + 1, baseStringEnd);
    }

    int name(String s) {
        Integer known = stringOffsets.get(s);
        if (known != null) {
            return known;
        }
        int offset = firstStringOffset + strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        stringOffsets.put(s, offset);
        return offset;
    }

    /** The id the next added type will get. */
    int nextId() {
        return firstId + types.size();
    }

    int stringEnd() {
        return firstStringOffset + strings.size();
    }

    /** Adds a type from raw words; returns its id. */
    int raw(int nameOffset, int info, int sizeOrType, int... data) {
        int[] words = new int[3 + data.length];
        words[0] = nameOffset;
        words[1] = info;
        words[2] = sizeOrType;
        System.arraycopy(data, 0, words, 3, data.length);
        types.add(words);
        return firstId + types.size() - 1;
    }

    static int info(BtfKind kind, int vlen, boolean kindFlag) {
        return (kindFlag ? 1 << 31 : 0) | kind.code() << 24 | vlen;
    }

    int add(BtfKind kind, String name, int vlen, boolean kindFlag, int sizeOrType, int... data) {
        return raw(name(name), info(kind, vlen, kindFlag), sizeOrType, data);
    }

    int integer(String name, int size, int encoding, int bitOffset, int bits) {
        return add(BtfKind.INT, name, 0, false, size, encoding << 24 | bitOffset << 16 | bits);
    }

    int ptr(int target) {
        return add(BtfKind.PTR, "", 0, false, target);
    }

    int array(int element, int index, int count) {
        return add(BtfKind.ARRAY, "", 0, false, 0, element, index, count);
    }

    int struct(String name, int size, BtfMember... members) {
        return composite(BtfKind.STRUCT, name, size, members);
    }

    int union(String name, int size, BtfMember... members) {
        return composite(BtfKind.UNION, name, size, members);
    }

    private int composite(BtfKind kind, String name, int size, BtfMember... members) {
        boolean bitfields = false;
        for (BtfMember m : members) {
            bitfields |= m.isBitfield();
        }
        int[] data = new int[3 * members.length];
        for (int i = 0; i < members.length; i++) {
            data[3 * i] = name(members[i].name());
            data[3 * i + 1] = members[i].typeId();
            data[3 * i + 2] = bitfields ? members[i].bitfieldSize() << 24 | (int) members[i].bitOffset() : (int) members[i].bitOffset();
        }
        return add(kind, name, members.length, bitfields, size, data);
    }

    int enumeration(String name, int size, boolean signed, BtfEnumValue... values) {
        int[] data = new int[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            data[2 * i] = name(values[i].name());
            data[2 * i + 1] = (int) values[i].value();
        }
        return add(BtfKind.ENUM, name, values.length, signed, size, data);
    }

    int enumeration64(String name, int size, boolean signed, BtfEnumValue... values) {
        int[] data = new int[3 * values.length];
        for (int i = 0; i < values.length; i++) {
            data[3 * i] = name(values[i].name());
            data[3 * i + 1] = (int) values[i].value();
            data[3 * i + 2] = (int) (values[i].value() >>> 32);
        }
        return add(BtfKind.ENUM64, name, values.length, signed, size, data);
    }

    int fwd(String name, boolean union) {
        return add(BtfKind.FWD, name, 0, union, 0);
    }

    int modifier(BtfKind kind, String name, int target) {
        return add(kind, name, 0, false, target);
    }

    int func(String name, int proto, BtfLinkage linkage) {
        return add(BtfKind.FUNC, name, linkage.code(), false, proto);
    }

    int funcProto(int returnType, BtfParam... params) {
        int[] data = new int[2 * params.length];
        for (int i = 0; i < params.length; i++) {
            data[2 * i] = name(params[i].name());
            data[2 * i + 1] = params[i].typeId();
        }
        return add(BtfKind.FUNC_PROTO, "", params.length, false, returnType, data);
    }

    int variable(String name, int type, BtfLinkage linkage) {
        return add(BtfKind.VAR, name, 0, false, type, linkage.code());
    }

    int datasec(String name, int size, BtfVarSecInfo... vars) {
        int[] data = new int[3 * vars.length];
        for (int i = 0; i < vars.length; i++) {
            data[3 * i] = vars[i].typeId();
            data[3 * i + 1] = vars[i].offset();
            data[3 * i + 2] = vars[i].size();
        }
        return add(BtfKind.DATASEC, name, vars.length, false, size, data);
    }

    int floating(String name, int size) {
        return add(BtfKind.FLOAT, name, 0, false, size);
    }

    int declTag(String tag, int target, int componentIndex) {
        return add(BtfKind.DECL_TAG, tag, 0, false, target, componentIndex);
    }

    /** Adds the type that {@code type} describes (its id is ignored; the builder hands out the next one). */
    int add(BtfType type) {
        return switch (type) {
            case BtfInt i -> integer(i.name(), i.size(), i.encoding(), i.bitOffset(), i.bits());
            case BtfPtr p -> ptr(p.typeId());
            case BtfArray a -> array(a.elementTypeId(), a.indexTypeId(), (int) a.elementCount());
            case BtfStruct s -> struct(s.name(), s.size(), s.members().toArray(BtfMember[]::new));
            case BtfUnion u -> union(u.name(), u.size(), u.members().toArray(BtfMember[]::new));
            case BtfEnum e -> enumeration(e.name(), e.size(), e.signed(), e.values().toArray(BtfEnumValue[]::new));
            case BtfEnum64 e -> enumeration64(e.name(), e.size(), e.signed(), e.values().toArray(BtfEnumValue[]::new));
            case BtfFwd f -> fwd(f.name(), f.union());
            case BtfModifier m -> modifier(m.kind(), m.name(), m.typeId());
            case BtfFunc f -> func(f.name(), f.protoId(), f.linkage());
            case BtfFuncProto p -> funcProto(p.returnTypeId(), p.params().toArray(BtfParam[]::new));
            case BtfVar v -> variable(v.name(), v.typeId(), v.linkage());
            case BtfDatasec d -> datasec(d.name(), d.size(), d.vars().toArray(BtfVarSecInfo[]::new));
            case BtfFloat f -> floating(f.name(), f.size());
            case BtfDeclTag d -> declTag(d.name(), d.typeId(), d.componentIndex());
            case BtfVoid v -> throw new IllegalArgumentException("void is not written");
        };
    }

    byte[] build() {
        return build(ByteOrder.LITTLE_ENDIAN);
    }

    /** The blob: 24-byte header, type section, string section. */
    byte[] build(ByteOrder order) {
        int typeLen = 0;
        for (int[] t : types) {
            typeLen += 4 * t.length;
        }
        byte[] stringBytes = strings.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(BtfHeader.FIXED_LENGTH + typeLen + stringBytes.length).order(order);
        out.putShort((short) BtfHeader.MAGIC).put((byte) 1).put((byte) 0);
        out.putInt(BtfHeader.FIXED_LENGTH).putInt(0).putInt(typeLen).putInt(typeLen).putInt(stringBytes.length);
        for (int[] t : types) {
            for (int w : t) {
                out.putInt(w);
            }
        }
        out.put(stringBytes);
        return out.array();
    }

    /** Overwrites the u32 header field at {@code offset} (4 hdr_len, 8 type_off, 12 type_len, 16 str_off, 20 str_len). */
    static byte[] withHeaderWord(byte[] blob, int offset, int value, ByteOrder order) {
        byte[] copy = blob.clone();
        ByteBuffer.wrap(copy).order(order).putInt(offset, value);
        return copy;
    }

    static int headerWord(byte[] blob, int offset, ByteOrder order) {
        return ByteBuffer.wrap(blob).order(order).getInt(offset);
    }
}
