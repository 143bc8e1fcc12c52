package io.mapsnap.kernel.btf;

/** A forward declaration of a struct, or of a union when {@code union} is set. */
public record BtfFwd(int id, String name, boolean union) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.FWD;
    }
}
