package io.mapsnap.kernel.btf;

/** A global or static variable, as listed by a {@link BtfDatasec}. */
public record BtfVar(int id, String name, int typeId, BtfLinkage linkage) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.VAR;
    }
}
