package io.mapsnap.kernel.btf;

/**
 * Linkage of a {@link BtfFunc} (stored in its vlen) or a {@link BtfVar}. For variables the kernel calls the last
 * two {@code BTF_VAR_GLOBAL_ALLOCATED} and {@code BTF_VAR_GLOBAL_EXTERN}; the numbers are the same.
 */
public enum BtfLinkage {
    STATIC,
    GLOBAL,
    EXTERN;

    private static final BtfLinkage[] BY_CODE = values();

    /** The numeric value in the blob. */
    public int code() {
        return ordinal();
    }

    /** The linkage with this code, or {@code null} for one the kernel would reject. */
    static BtfLinkage ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
