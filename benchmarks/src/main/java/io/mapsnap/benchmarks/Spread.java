package io.mapsnap.benchmarks;

import java.util.Arrays;

/**
 * The median of repeated measurements and their spread: p10–p90 when there are enough samples for those to mean
 * something (at least 10), min–max otherwise.
 *
 * @param median the median
 * @param low p10, or the minimum
 * @param high p90, or the maximum
 * @param samples how many measurements
 * @param unit what the numbers are in, e.g. {@code ns}, {@code records/s}
 */
public record Spread(double median, double low, double high, int samples, String unit) {
    private static final int PERCENTILE_MIN_SAMPLES = 10;

    public static Spread of(double[] values, String unit) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        boolean percentiles = v.length >= PERCENTILE_MIN_SAMPLES;
        return new Spread(percentile(v, 50), percentiles ? percentile(v, 10) : v[0],
                percentiles ? percentile(v, 90) : v[v.length - 1], v.length, unit);
    }

    public static Spread of(long[] values, String unit) {
        return of(Arrays.stream(values).asDoubleStream().toArray(), unit);
    }

    /** Linear interpolation between the closest ranks of sorted values. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** Every value divided by {@code divisor} (e.g. per snapshot to per VMA), in {@code newUnit}. */
    public Spread dividedBy(double divisor, String newUnit) {
        return new Spread(median / divisor, low / divisor, high / divisor, samples, newUnit);
    }

    public String spreadKind() {
        return samples >= PERCENTILE_MIN_SAMPLES ? "p10–p90" : "min–max";
    }
}
