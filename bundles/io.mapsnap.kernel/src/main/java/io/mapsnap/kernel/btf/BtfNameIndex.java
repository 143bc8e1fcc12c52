package io.mapsnap.kernel.btf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Type ids by name, as a hash table over the raw name bytes: built without decoding a single string, so that
 * parsing vmlinux stays fast, and looked up by comparing UTF-8 bytes.
 *
 * <p>Buckets are laid out contiguously ({@code bucketStart[b]} to {@code bucketStart[b + 1]}) with ids in
 * ascending order, so lookups report types in id order.
 */
final class BtfNameIndex {
    private static final byte[] EMPTY = new byte[0];
    private static final int[] NONE = new int[0];

    private final BtfTypeSection types;
    private final BtfStrings strings;
    private final int mask;
    private final int[] bucketStart;
    private final int[] ids;
    private final int[] hashes;

    private BtfNameIndex(BtfTypeSection types, BtfStrings strings, int mask, int[] bucketStart, int[] ids, int[] hashes) {
        this.types = types;
        this.strings = strings;
        this.mask = mask;
        this.bucketStart = bucketStart;
        this.ids = ids;
        this.hashes = hashes;
    }

    static BtfNameIndex build(BtfTypeSection types, BtfStrings strings) {
        int count = types.count();
        int first = types.firstId();
        int[] hashOf = new int[count];
        boolean[] named = new boolean[count];
        int namedCount = 0;
        for (int i = 0; i < count; i++) {
            int nameOffset = types.nameOffset(first + i);
            if (nameOffset != 0) {
                hashOf[i] = strings.hash(nameOffset);
                // A non-zero offset can still point at an empty string; such a type is anonymous all the same.
                named[i] = hashOf[i] != 0 || !strings.matches(nameOffset, EMPTY);
                if (named[i]) {
                    namedCount++;
                }
            }
        }
        int buckets = Integer.highestOneBit(Math.max(1, namedCount)) << 1;
        int mask = buckets - 1;
        int[] bucketStart = new int[buckets + 1];
        for (int i = 0; i < count; i++) {
            if (named[i]) {
                bucketStart[(hashOf[i] & mask) + 1]++;
            }
        }
        for (int b = 0; b < buckets; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        int[] fill = Arrays.copyOf(bucketStart, buckets);
        int[] ids = new int[namedCount];
        int[] hashes = new int[namedCount];
        for (int i = 0; i < count; i++) {
            if (named[i]) {
                int slot = fill[hashOf[i] & mask]++;
                ids[slot] = first + i;
                hashes[slot] = hashOf[i];
            }
        }
        return new BtfNameIndex(types, strings, mask, bucketStart, ids, hashes);
    }

    /** The ids of the types named {@code name}, in ascending order; none for the empty name. */
    int[] idsNamed(String name) {
        if (name.isEmpty()) {
            return NONE;
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        int hash = BtfStrings.hash(utf8);
        int bucket = hash & mask;
        int[] found = NONE;
        for (int slot = bucketStart[bucket]; slot < bucketStart[bucket + 1]; slot++) {
            if (hashes[slot] == hash && strings.matches(types.nameOffset(ids[slot]), utf8)) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = ids[slot];
            }
        }
        return found;
    }
}
