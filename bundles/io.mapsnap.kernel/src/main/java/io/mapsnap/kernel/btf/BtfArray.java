package io.mapsnap.kernel.btf;

/** An array of {@code elementCount} elements of {@code elementTypeId}; the count is an unsigned 32-bit value. */
public record BtfArray(int id, String name, int elementTypeId, int indexTypeId, long elementCount) implements BtfType {
    @Override
    public BtfKind kind() {
        return BtfKind.ARRAY;
    }
}
