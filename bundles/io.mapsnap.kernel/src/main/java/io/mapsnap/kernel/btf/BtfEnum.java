package io.mapsnap.kernel.btf;

import java.util.List;

/** The kind {@code ENUM}: an enum whose enumerators are 32-bit; {@code signed} comes from the kind flag. */
public record BtfEnum(int id, String name, int size, boolean signed, List<BtfEnumValue> values) implements BtfType {
    public BtfEnum {
        values = List.copyOf(values);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.ENUM;
    }
}
