package io.mapsnap.kernel.btf;

/** A {@code const} qualifier on {@code typeId}. */
public record BtfConst(int id, String name, int typeId) implements BtfModifier {
    @Override
    public BtfKind kind() {
        return BtfKind.CONST;
    }
}
