package io.mapsnap.kernel.btf;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One type of a {@link Btf}: one record per kind of {@code include/uapi/linux/btf.h}. Type ids that a record holds
 * ({@code typeId}, {@code protoId}, ...) are ids in the same {@link Btf} and are guaranteed to be in range, so
 * {@link Btf#type(int)} accepts them.
 *
 * <p>Sealed, so a {@code switch} over it can be exhaustive; a kind added to BTF later becomes a new record here,
 * which is a major version change for code that switches exhaustively.
 */
@ProviderType
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
