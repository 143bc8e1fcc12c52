package io.mapsnap.kernel.btf;

import java.util.List;

/** A {@code struct} of {@code size} bytes. Anonymous members are kept as they are; see {@link Btf#findMember}. */
public record BtfStruct(int id, String name, int size, List<BtfMember> members) implements BtfComposite {
    public BtfStruct {
        members = List.copyOf(members);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.STRUCT;
    }
}
