package io.mapsnap.symbolizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed perf map ({@code /tmp/perf-PID.map}): lines {@code START SIZE name}, START and SIZE in hex with or
 * without {@code 0x}, as JITs write them for perf. Malformed lines are skipped, as perf does. A JIT reuses
 * addresses when it frees code, so where entries overlap the later line wins.
 */
final class PerfMap {
    /** Entries checked below the nearest one for a later, covering entry. */
    private static final int OVERLAP_LOOKBACK = 32;
    private static final int MAX_NAME = 4096;

    private record Entry(long start, long size, int line, String name) {
    }

    private final Entry[] entries;
    private final int skipped;

    private PerfMap(Entry[] entries, int skipped) {
        this.entries = entries;
        this.skipped = skipped;
    }

    /** Parses {@code text}, reading at most {@code maxLines} lines. */
    static PerfMap parse(byte[] text, int maxLines) {
        List<Entry> entries = new ArrayList<>();
        int skipped = 0;
        int line = 0;
        int at = 0;
        while (at < text.length && line < maxLines) {
            int end = at;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            Entry e = parseLine(new String(text, at, end - at, StandardCharsets.UTF_8), line);
            if (e == null) {
                skipped++;
            } else {
                entries.add(e);
            }
            line++;
            at = end + 1;
        }
        entries.sort(Comparator.<Entry, Long>comparing(Entry::start, Long::compareUnsigned).thenComparingInt(Entry::line));
        return new PerfMap(entries.toArray(Entry[]::new), skipped);
    }

    private static Entry parseLine(String line, int number) {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 3) {
            return null;
        }
        try {
            long start = Long.parseUnsignedLong(unprefixed(parts[0]), 16);
            long size = Long.parseUnsignedLong(unprefixed(parts[1]), 16);
            String name = parts[2].length() > MAX_NAME ? parts[2].substring(0, MAX_NAME) : parts[2];
            return size == 0 ? null : new Entry(start, size, number, name);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String unprefixed(String hex) {
        return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    }

    int size() {
        return entries.length;
    }

    /** Lines that were not {@code START SIZE name}. */
    int skipped() {
        return skipped;
    }

    /** The latest entry covering {@code address}, or {@code null}. */
    FunctionHit lookup(long address) {
        int lo = 0;
        int hi = entries.length - 1;
        int nearest = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(entries[mid].start, address) <= 0) {
                nearest = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        Entry best = null;
        for (int i = nearest; i >= 0 && i > nearest - OVERLAP_LOOKBACK; i--) {
            Entry e = entries[i];
            if (Long.compareUnsigned(address - e.start, e.size) < 0 && (best == null || e.line > best.line)) {
                best = e;
            }
        }
        return best == null ? null : new FunctionHit(best.name, address - best.start);
    }
}
