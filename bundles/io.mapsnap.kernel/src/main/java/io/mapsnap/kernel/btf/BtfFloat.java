package io.mapsnap.kernel.btf;

/** A floating-point type of {@code size} bytes. */
public record BtfFloat(int id, String name, int size) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.FLOAT;
    }
}
