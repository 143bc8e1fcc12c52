package io.mapsnap.kernel.btf;

/**
 * A {@code btf_decl_tag} annotation (the tag is {@code name}, e.g. {@code "bpf_kfunc"}) on {@code typeId}: on the
 * whole type when {@code componentIndex} is -1, otherwise on that member or parameter.
 */
public record BtfDeclTag(int id, String name, int typeId, int componentIndex) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.DECL_TAG;
    }
}
