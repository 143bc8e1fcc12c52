package io.mapsnap.kernel.btf;

import java.util.List;

/** Turns a validated type record into its {@link BtfType}; cannot fail because the validator ran first. */
final class BtfTypeDecoder {
    private final BtfTypeSection types;
    private final BtfStrings strings;

    BtfTypeDecoder(BtfTypeSection types, BtfStrings strings) {
        this.types = types;
        this.strings = strings;
    }

    BtfType decode(int id) {
        String name = strings.get(types.nameOffset(id));
        int vlen = types.vlen(id);
        boolean kindFlag = types.kindFlag(id);
        int sizeOrType = types.sizeOrType(id);
        return switch (types.kind(id)) {
            case INT -> {
                int data = types.word(id, 0);
                yield new BtfInt(id, name, sizeOrType, data >>> 24 & 0x0f, data >>> 16 & 0xff, data & 0xff);
            }
            case PTR -> new BtfPtr(id, name, sizeOrType);
            case ARRAY -> new BtfArray(id, name, types.word(id, 0), types.word(id, 1), Integer.toUnsignedLong(types.word(id, 2)));
            case STRUCT -> new BtfStruct(id, name, sizeOrType, members(id, vlen, kindFlag));
            case UNION -> new BtfUnion(id, name, sizeOrType, members(id, vlen, kindFlag));
            case ENUM -> {
                BtfEnumValue[] values = new BtfEnumValue[vlen];
                for (int i = 0; i < vlen; i++) {
                    int value = types.word(id, 2 * i + 1);
                    values[i] = new BtfEnumValue(strings.get(types.word(id, 2 * i)), kindFlag ? value : Integer.toUnsignedLong(value));
                }
                yield new BtfEnum(id, name, sizeOrType, kindFlag, List.of(values));
            }
            case FWD -> new BtfFwd(id, name, kindFlag);
            case TYPEDEF -> new BtfTypedef(id, name, sizeOrType);
            case VOLATILE -> new BtfVolatile(id, name, sizeOrType);
            case CONST -> new BtfConst(id, name, sizeOrType);
            case RESTRICT -> new BtfRestrict(id, name, sizeOrType);
            case FUNC -> new BtfFunc(id, name, sizeOrType, BtfLinkage.ofCode(vlen));
            case FUNC_PROTO -> {
                BtfParam[] params = new BtfParam[vlen];
                for (int i = 0; i < vlen; i++) {
                    params[i] = new BtfParam(strings.get(types.word(id, 2 * i)), types.word(id, 2 * i + 1));
                }
                yield new BtfFuncProto(id, name, sizeOrType, List.of(params));
            }
            case VAR -> new BtfVar(id, name, sizeOrType, BtfLinkage.ofCode(types.word(id, 0)));
            case DATASEC -> {
                BtfVarSecInfo[] vars = new BtfVarSecInfo[vlen];
                for (int i = 0; i < vlen; i++) {
                    vars[i] = new BtfVarSecInfo(types.word(id, 3 * i), types.word(id, 3 * i + 1), types.word(id, 3 * i + 2));
                }
                yield new BtfDatasec(id, name, sizeOrType, List.of(vars));
            }
            case FLOAT -> new BtfFloat(id, name, sizeOrType);
            case DECL_TAG -> new BtfDeclTag(id, name, sizeOrType, types.word(id, 0));
            case TYPE_TAG -> new BtfTypeTag(id, name, sizeOrType);
            case ENUM64 -> {
                BtfEnumValue[] values = new BtfEnumValue[vlen];
                for (int i = 0; i < vlen; i++) {
                    long low = Integer.toUnsignedLong(types.word(id, 3 * i + 1));
                    long high = types.word(id, 3 * i + 2);
                    values[i] = new BtfEnumValue(strings.get(types.word(id, 3 * i)), high << 32 | low);
                }
                yield new BtfEnum64(id, name, sizeOrType, kindFlag, List.of(values));
            }
            case VOID -> BtfVoid.INSTANCE;
        };
    }

    private List<BtfMember> members(int id, int vlen, boolean kindFlag) {
        BtfMember[] members = new BtfMember[vlen];
        for (int i = 0; i < vlen; i++) {
            int offset = types.word(id, 3 * i + 2);
            // With kind_flag set, the top 8 bits hold the bitfield size and only the low 24 the bit offset.
            long bitOffset = kindFlag ? offset & 0xffffff : Integer.toUnsignedLong(offset);
            int bitfieldSize = kindFlag ? offset >>> 24 : 0;
            members[i] = new BtfMember(strings.get(types.word(id, 3 * i)), types.word(id, 3 * i + 1), bitOffset, bitfieldSize);
        }
        return List.of(members);
    }
}
