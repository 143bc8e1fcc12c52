package io.mapsnap.kernel.btf;

/** A {@code volatile} qualifier on {@code typeId}. */
public record BtfVolatile(int id, String name, int typeId) implements BtfModifier {
    @Override
    public BtfKind kind() {
        return BtfKind.VOLATILE;
    }
}
