package io.mapsnap.kernel.btf;

import java.util.List;

/** A function signature; {@code returnTypeId} is 0 for {@code void}. */
public record BtfFuncProto(int id, String name, int returnTypeId, List<BtfParam> params) implements BtfType {
    public BtfFuncProto {
        params = List.copyOf(params);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.FUNC_PROTO;
    }

    /** Whether the prototype ends in {@code ...}. */
    public boolean isVariadic() {
        if (params.isEmpty()) {
            return false;
        }
        BtfParam last = params.getLast();
        return last.typeId() == 0 && last.name().isEmpty();
    }
}
