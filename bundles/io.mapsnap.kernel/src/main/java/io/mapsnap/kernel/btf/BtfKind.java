package io.mapsnap.kernel.btf;

/** The kind of a BTF type, with the numeric value the kernel stores in bits 24-28 of {@code btf_type.info}. */
public enum BtfKind {
    /** Type id 0; never stored in the type section. */
    VOID(0),
    INT(1),
    PTR(2),
    ARRAY(3),
    STRUCT(4),
    UNION(5),
    ENUM(6),
    FWD(7),
    TYPEDEF(8),
    VOLATILE(9),
    CONST(10),
    RESTRICT(11),
    FUNC(12),
    FUNC_PROTO(13),
    VAR(14),
    DATASEC(15),
    FLOAT(16),
    DECL_TAG(17),
    TYPE_TAG(18),
    ENUM64(19);

    private static final BtfKind[] BY_CODE = values();

    private final int code;

    BtfKind(int code) {
        this.code = code;
    }

    /** The value of {@code BTF_KIND_*} in {@code include/uapi/linux/btf.h}. */
    public int code() {
        return code;
    }

    /** The kind with this code, or {@code null} for a code this reader does not know. */
    static BtfKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
