package io.mapsnap.kernel.btf;

/** A function; {@code protoId} is always a {@link BtfFuncProto} (checked at parse). */
public record BtfFunc(int id, String name, int protoId, BtfLinkage linkage) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.FUNC;
    }
}
