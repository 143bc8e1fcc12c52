package io.mapsnap.kernel.btf;

/** A typedef: {@code name} is another name for {@code typeId}. */
public record BtfTypedef(int id, String name, int typeId) implements BtfModifier {
    @Override
    public BtfKind kind() {
        return BtfKind.TYPEDEF;
    }
}
