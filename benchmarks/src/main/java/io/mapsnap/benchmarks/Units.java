package io.mapsnap.benchmarks;

import java.util.Locale;

/** Human-readable numbers for the table: durations from nanoseconds, rates, ratios. */
final class Units {
    private Units() {
    }

    /** A duration given in nanoseconds, in the unit that keeps 3 significant digits readable. */
    static String duration(double ns) {
        if (ns >= 1e9) {
            return format(ns / 1e9, "s");
        }
        if (ns >= 1e6) {
            return format(ns / 1e6, "ms");
        }
        if (ns >= 1e3) {
            return format(ns / 1e3, "µs");
        }
        return format(ns, "ns");
    }

    static String rate(double perSecond, String what) {
        if (perSecond >= 1e6) {
            return format(perSecond / 1e6, "M " + what + "/s");
        }
        if (perSecond >= 1e3) {
            return format(perSecond / 1e3, "k " + what + "/s");
        }
        return format(perSecond, what + "/s");
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    /** A value in its spread's unit: ns become durations, rates get their suffix. */
    static String value(double v, String unit) {
        return switch (unit) {
            case "ns" -> duration(v);
            case "ms" -> duration(v * 1e6);
            default -> unit.endsWith("/s") ? rate(v, unit.substring(0, unit.length() - 2)) : format(v, unit);
        };
    }

    static String median(Spread s) {
        return value(s.median(), s.unit());
    }

    static String range(Spread s) {
        return value(s.low(), s.unit()) + " – " + value(s.high(), s.unit());
    }

    private static String format(double v, String unit) {
        String digits = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", v, unit);
    }
}
