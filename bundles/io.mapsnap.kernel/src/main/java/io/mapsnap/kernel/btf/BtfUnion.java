package io.mapsnap.kernel.btf;

import java.util.List;

/** A {@code union} of {@code size} bytes. Anonymous members are kept as they are; see {@link Btf#findMember}. */
public record BtfUnion(int id, String name, int size, List<BtfMember> members) implements BtfComposite {
    public BtfUnion {
        members = List.copyOf(members);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.UNION;
    }
}
