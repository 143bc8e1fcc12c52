package io.mapsnap.benchmarks;

/**
 * One measured line of the table. Only rows that were measured exist: a benchmark that could not run on this host
 * says so in {@link BenchReport#notes()}, never with a made-up number.
 *
 * @param group the table section, e.g. {@code map snapshot, large (3,022 VMAs)}
 * @param name what ran, e.g. {@code kfunc}, {@code floor: C /proc/PID/maps read+parse}
 * @param measures what the number is, e.g. {@code in-kernel run time (BPF stats)}, {@code wall, end-to-end to Java records}
 * @param value the measurement
 * @param perItem the same per VMA, where that applies; null otherwise
 * @param comparison ratios to the reference rows (e.g. {@code 0.42× procfs; 1.18× floor}); empty if none
 */
public record Row(String group, String name, String measures, Spread value, Spread perItem, String comparison) {
}
