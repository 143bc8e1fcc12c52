package io.mapsnap.kernel.btf;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A type that stands for another type with the same layout: a typedef, or a const, volatile, restrict or type-tag
 * qualifier. {@link Btf#resolve(int)} looks through these.
 */
@ProviderType
public sealed interface BtfModifier extends BtfType permits BtfTypedef, BtfConst, BtfVolatile, BtfRestrict, BtfTypeTag {
    /** The type this one stands for. */
    int typeId();
}
