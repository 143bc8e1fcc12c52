package io.mapsnap.kernel.btf;

/** A {@code btf_type_tag} annotation on {@code typeId}; {@code name} is the tag, e.g. {@code "rcu"} or {@code "percpu"}. */
public record BtfTypeTag(int id, String name, int typeId) implements BtfModifier {
    @Override
    public BtfKind kind() {
        return BtfKind.TYPE_TAG;
    }
}
