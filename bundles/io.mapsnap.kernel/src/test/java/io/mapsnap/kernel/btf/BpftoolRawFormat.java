package io.mapsnap.kernel.btf;

/**
 * Renders a type the way {@code bpftool btf dump file ... format raw} prints it (bpftool 7.x), so the parser can
 * be compared with the kernel's own tool line by line.
 */
final class BpftoolRawFormat {
    private BpftoolRawFormat() {
    }

    static String render(Btf btf, BtfType type) {
        StringBuilder out = new StringBuilder();
        out.append('[').append(type.id()).append("] ").append(type.kind()).append(' ').append(quoted(type.name()));
        switch (type) {
            case BtfInt i -> out.append(" size=").append(i.size()).append(" bits_offset=").append(i.bitOffset())
                    .append(" nr_bits=").append(i.bits()).append(" encoding=").append(switch (i.encoding()) {
                        case 0 -> "(none)";
                        case BtfInt.SIGNED -> "SIGNED";
                        case BtfInt.CHAR -> "CHAR";
                        case BtfInt.BOOL -> "BOOL";
                        default -> "UNKN";
                    });
            case BtfPtr p -> out.append(" type_id=").append(p.typeId());
            case BtfModifier m -> out.append(" type_id=").append(m.typeId());
            case BtfArray a -> out.append(" type_id=").append(a.elementTypeId()).append(" index_type_id=").append(a.indexTypeId())
                    .append(" nr_elems=").append(a.elementCount());
            case BtfComposite c -> {
                out.append(" size=").append(c.size()).append(" vlen=").append(c.members().size());
                for (BtfMember m : c.members()) {
                    out.append("\n\t").append(quoted(m.name())).append(" type_id=").append(m.typeId()).append(" bits_offset=").append(m.bitOffset());
                    if (m.isBitfield()) {
                        out.append(" bitfield_size=").append(m.bitfieldSize());
                    }
                }
            }
            case BtfEnum e -> {
                out.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size()).append(" vlen=").append(e.values().size());
                for (BtfEnumValue v : e.values()) {
                    out.append("\n\t").append(quoted(v.name())).append(" val=").append(v.value());
                }
            }
            case BtfEnum64 e -> {
                out.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size()).append(" vlen=").append(e.values().size());
                for (BtfEnumValue v : e.values()) {
                    out.append("\n\t").append(quoted(v.name())).append(" val=")
                            .append(e.signed() ? Long.toString(v.value()) + "LL" : Long.toUnsignedString(v.value()) + "ULL");
                }
            }
            case BtfFwd f -> out.append(" fwd_kind=").append(f.union() ? "union" : "struct");
            case BtfFunc f -> out.append(" type_id=").append(f.protoId()).append(" linkage=").append(linkage(f.linkage()));
            case BtfFuncProto p -> {
                out.append(" ret_type_id=").append(p.returnTypeId()).append(" vlen=").append(p.params().size());
                for (BtfParam param : p.params()) {
                    out.append("\n\t").append(quoted(param.name())).append(" type_id=").append(param.typeId());
                }
            }
            case BtfVar v -> out.append(" type_id=").append(v.typeId()).append(", linkage=").append(linkage(v.linkage()));
            case BtfDatasec d -> {
                out.append(" size=").append(d.size()).append(" vlen=").append(d.vars().size());
                for (BtfVarSecInfo v : d.vars()) {
                    out.append("\n\ttype_id=").append(v.typeId()).append(" offset=").append(v.offset()).append(" size=").append(v.size());
                    BtfType variable = btf.type(v.typeId());
                    if (variable instanceof BtfVar) {
                        out.append(" (VAR ").append(quoted(variable.name())).append(')');
                    }
                }
            }
            case BtfFloat f -> out.append(" size=").append(f.size());
            case BtfDeclTag d -> out.append(" type_id=").append(d.typeId()).append(" component_idx=").append(d.componentIndex());
            case BtfVoid v -> throw new IllegalArgumentException("bpftool does not print void");
        }
        return out.toString();
    }

    private static String quoted(String name) {
        return "'" + (name.isEmpty() ? "(anon)" : name) + "'";
    }

    private static String linkage(BtfLinkage linkage) {
        return switch (linkage) {
            case STATIC -> "static";
            case GLOBAL -> "global";
            case EXTERN -> "extern";
        };
    }
}
