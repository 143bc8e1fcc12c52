package io.mapsnap.export;

/**
 * A name made safe for one frame of a folded stack line. Names come from the profiled programs (symbol tables, perf
 * maps, comm) and are untrusted: a ';' would split a frame in two, and a newline would end the line and let the rest
 * forge a stack with any count. flamegraph.pl takes the count after the last whitespace, so spaces may stay.
 */
final class FoldedName {
    /** What an empty name becomes, as stackcollapse-perf.pl writes frames it cannot name. */
    static final String UNKNOWN = "[unknown]";

    private FoldedName() {
    }

    /**
     * {@code ;} becomes {@code :} (C++ and Rust paths keep reading as paths); control characters (C0, DEL, C1 —
     * NEL included) and the Unicode line and paragraph separators, which some readers split lines at, become
     * {@code ?}.
     */
    static String of(String name) {
        if (name == null || name.isEmpty()) {
            return UNKNOWN;
        }
        StringBuilder safe = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            char replacement = c == ';' ? ':' : unsafe(c) ? '?' : c;
            if (replacement != c && safe == null) {
                safe = new StringBuilder(name.length()).append(name, 0, i);
            }
            if (safe != null) {
                safe.append(replacement);
            }
        }
        return safe == null ? name : safe.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
