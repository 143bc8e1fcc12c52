package io.mapsnap.kernel.btf;

/** A pointer to {@code typeId} (0 for {@code void *}). */
public record BtfPtr(int id, String name, int typeId) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.PTR;
    }
}
