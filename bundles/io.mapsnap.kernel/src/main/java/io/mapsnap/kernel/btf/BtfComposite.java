package io.mapsnap.kernel.btf;

import java.util.List;

/** A struct or a union: a sized type made of members. */
public sealed interface BtfComposite extends BtfType permits BtfStruct, BtfUnion {
    /** Size in bytes. */
    int size();

    List<BtfMember> members();
}
