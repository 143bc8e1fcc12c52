package io.mapsnap.kernel.btf;

import java.util.List;

/** The kind {@code ENUM64}: an enum whose enumerators are 64-bit; {@code signed} comes from the kind flag. */
public record BtfEnum64(int id, String name, int size, boolean signed, List<BtfEnumValue> values) implements BtfType {
    public BtfEnum64 {
        values = List.copyOf(values);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.ENUM64;
    }
}
