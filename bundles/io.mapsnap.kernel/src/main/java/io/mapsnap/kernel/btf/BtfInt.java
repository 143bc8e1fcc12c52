package io.mapsnap.kernel.btf;

/**
 * An integer type. {@code encoding} is a set of {@link #SIGNED}, {@link #CHAR} and {@link #BOOL};
 * {@code bitOffset} and {@code bits} describe the value bits inside the {@code size} bytes (old-style bitfields
 * use them; normal integers have offset 0 and {@code bits == size * 8}).
 */
public record BtfInt(int id, String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
    /** {@code BTF_INT_SIGNED}. */
    public static final int SIGNED = 1;
    /** {@code BTF_INT_CHAR}: printed as a character; says nothing about signedness. */
    public static final int CHAR = 2;
    /** {@code BTF_INT_BOOL}. */
    public static final int BOOL = 4;

    @Override
    public BtfKind kind() {
        return BtfKind.INT;
    }

    public boolean isSigned() {
        return (encoding & SIGNED) != 0;
    }

    public boolean isChar() {
        return (encoding & CHAR) != 0;
    }

    public boolean isBool() {
        return (encoding & BOOL) != 0;
    }
}
