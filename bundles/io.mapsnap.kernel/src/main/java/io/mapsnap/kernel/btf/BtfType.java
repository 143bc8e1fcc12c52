package io.mapsnap.kernel.btf;

/**
 * One type of a {@link Btf}: one record per kind of {@code include/uapi/linux/btf.h}. Type ids that a record holds
 * ({@code typeId}, {@code protoId}, ...) are ids in the same {@link Btf} and are guaranteed to be in range, so
 * {@link Btf#type(int)} accepts them.
 */
public sealed interface BtfType
        permits BtfVoid, BtfInt, BtfPtr, BtfArray, BtfComposite, BtfEnum, BtfFwd, BtfModifier, BtfFunc,
                BtfFuncProto, BtfVar, BtfDatasec, BtfFloat, BtfDeclTag, BtfEnum64 {
    /** The type id; 0 only for {@link BtfVoid}. */
    int id();

    /** The name, or the empty string for an anonymous type. */
    String name();

    BtfKind kind();

    default boolean isAnonymous() {
        return name().isEmpty();
    }
}
