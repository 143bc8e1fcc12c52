package io.mapsnap.kernel.btf;

import java.util.List;

/**
 * Where a named member sits in a struct or union, found through any anonymous members that enclose it.
 *
 * @param path the anonymous members walked through, outermost first, then the member itself
 * @param bitOffset offset in bits from the start of the outer composite
 */
public record BtfMemberLocation(List<BtfMember> path, long bitOffset) {
    public BtfMemberLocation {
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a member location needs at least the member");
        }
    }

    /** The member that was looked for. */
    public BtfMember member() {
        return path.getLast();
    }

    /** Offset in bytes from the start of the outer composite, rounded down for a bitfield. */
    public long byteOffset() {
        return bitOffset >>> 3;
    }
}
