package io.mapsnap.kernel.btf;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A struct or a union: a sized type made of members. */
@ProviderType
public sealed interface BtfComposite extends BtfType permits BtfStruct, BtfUnion {
    /** Size in bytes. */
    int size();

    List<BtfMember> members();
}
