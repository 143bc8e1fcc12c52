package io.mapsnap.kernel.btf;

/** A {@code restrict} qualifier on {@code typeId}. */
public record BtfRestrict(int id, String name, int typeId) implements BtfModifier {
    @Override
    public BtfKind kind() {
        return BtfKind.RESTRICT;
    }
}
