package io.mapsnap.kernel.btf;

/** A parameter of a {@link BtfFuncProto}; a last parameter with type 0 and no name marks {@code ...}. */
public record BtfParam(String name, int typeId) {
}
