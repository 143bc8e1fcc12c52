package io.mapsnap.kernel.btf;

/**
 * One enumerator. The value is sign- or zero-extended from the enum's width according to its signedness; an
 * unsigned 64-bit value above {@link Long#MAX_VALUE} reads as negative (use {@link Long#toUnsignedString(long)}).
 */
public record BtfEnumValue(String name, long value) {
}
