package io.mapsnap.symbolizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Function symbols of one file sorted by address, packed into primitive arrays (names share one byte pool) so a
 * cache of 64 large binaries stays small. Names stay as the file has them: C++ names are mangled, because
 * demangling needs a full Itanium ABI demangler and no small, maintained Java one exists; consumers can demangle
 * at display time.
 */
final class FunctionTable {
    static final FunctionTable EMPTY = new Builder().build();
    /** How many earlier symbols a lookup checks for one that covers the address (nested or overlapping symbols). */
    private static final int COVER_LOOKBACK = 8;

    private final long[] starts;
    private final long[] sizes;
    private final int[] nameStarts;
    private final byte[] names;

    private FunctionTable(long[] starts, long[] sizes, int[] nameStarts, byte[] names) {
        this.starts = starts;
        this.sizes = sizes;
        this.nameStarts = nameStarts;
        this.names = names;
    }

    int size() {
        return starts.length;
    }

    /**
     * The function holding link-time address {@code address}: the nearest symbol at or below it whose size covers
     * it; or, when that nearest symbol has size 0 (hand-written assembly, some linkers), that symbol.
     */
    FunctionHit lookup(long address) {
        int i = lastAtOrBelow(address);
        if (i < 0) {
            return null;
        }
        for (int j = i; j >= 0 && j > i - COVER_LOOKBACK; j--) {
            if (sizes[j] != 0 && Long.compareUnsigned(address - starts[j], sizes[j]) < 0) {
                return hit(j, address);
            }
        }
        return sizes[i] == 0 ? hit(i, address) : null;
    }

    private FunctionHit hit(int i, long address) {
        return new FunctionHit(new String(names, nameStarts[i], nameStarts[i + 1] - nameStarts[i], StandardCharsets.UTF_8),
                address - starts[i]);
    }

    private int lastAtOrBelow(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Collects symbols from several tables; at one address keeps the sized, then global, then weak one. */
    static final class Builder {
        private long[] starts = new long[64];
        private long[] sizes = new long[64];
        private byte[] binds = new byte[64];
        private int[] nameStarts = new int[65];
        private byte[] names = new byte[1024];
        private int count;

        int size() {
            return count;
        }

        /** Adds a symbol whose name is the NUL-terminated string at {@code nameOffset} of {@code table}, cut at {@code maxName}. */
        void add(long start, long size, int bind, byte[] table, int nameOffset, int maxName) {
            int end = nameOffset;
            int limit = (int) Math.min(table.length, (long) nameOffset + maxName);
            while (end < limit && table[end] != 0) {
                end++;
            }
            if (end == nameOffset) {
                return;
            }
            if (count == starts.length) {
                int grown = count * 2;
                starts = Arrays.copyOf(starts, grown);
                sizes = Arrays.copyOf(sizes, grown);
                binds = Arrays.copyOf(binds, grown);
                nameStarts = Arrays.copyOf(nameStarts, grown + 1);
            }
            int length = end - nameOffset;
            int at = nameStarts[count];
            if (at + length > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length * 2, at + length));
            }
            System.arraycopy(table, nameOffset, names, at, length);
            starts[count] = start;
            sizes[count] = size;
            binds[count] = (byte) bind;
            nameStarts[count + 1] = at + length;
            count++;
        }

        FunctionTable build() {
            // GLOBAL (1) before WEAK (2) before LOCAL (0) and the rest.
            Comparator<Integer> order = Comparator.<Integer, Long>comparing(i -> starts[i], Long::compareUnsigned)
                    .thenComparing(i -> sizes[i] == 0)
                    .thenComparingInt(i -> switch (binds[i]) {
                        case 1 -> 0;
                        case 2 -> 1;
                        default -> 2;
                    })
                    .thenComparingInt(i -> i);
            int[] sorted = IntStream.range(0, count).boxed().sorted(order).mapToInt(Integer::intValue).toArray();
            int[] keptIndex = new int[count];
            int kept = 0;
            for (int i : sorted) {
                if (kept == 0 || starts[keptIndex[kept - 1]] != starts[i]) {
                    keptIndex[kept++] = i;
                }
            }
            long[] outStarts = new long[kept];
            long[] outSizes = new long[kept];
            int[] outNameStarts = new int[kept + 1];
            for (int k = 0; k < kept; k++) {
                int i = keptIndex[k];
                outStarts[k] = starts[i];
                outSizes[k] = sizes[i];
                outNameStarts[k + 1] = outNameStarts[k] + nameStarts[i + 1] - nameStarts[i];
            }
            byte[] outNames = new byte[outNameStarts[kept]];
            for (int k = 0; k < kept; k++) {
                int i = keptIndex[k];
                System.arraycopy(names, nameStarts[i], outNames, outNameStarts[k], nameStarts[i + 1] - nameStarts[i]);
            }
            return new FunctionTable(outStarts, outSizes, outNameStarts, outNames);
        }
    }
}
