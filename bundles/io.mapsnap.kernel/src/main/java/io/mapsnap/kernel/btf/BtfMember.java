package io.mapsnap.kernel.btf;

/**
 * A member of a struct or union. {@code bitOffset} counts from the start of the enclosing composite.
 * {@code bitfieldSize} is non-zero only for bitfields in a composite with {@code kind_flag} set (what pahole
 * emits); older encoders describe bitfields through the {@link BtfInt}'s own offset and bits instead.
 */
public record BtfMember(String name, int typeId, long bitOffset, int bitfieldSize) {
    public boolean isAnonymous() {
        return name.isEmpty();
    }

    public boolean isBitfield() {
        return bitfieldSize != 0;
    }
}
