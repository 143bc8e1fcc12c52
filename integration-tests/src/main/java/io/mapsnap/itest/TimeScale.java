package io.mapsnap.itest;

import java.time.Duration;

/**
 * How far the suite stretches its waits and time bounds. Inside the kernel matrix's QEMU guests, under software
 * emulation (TCG), code runs about ten times slower than on the host, and kernels/guest-suite says so with
 * {@code -Dmapsnap.itest.time-scale=N}; on the host the factor is 1. It widens limits meant to catch a hang or a
 * gross overrun, never a speed: speed is measured in the benchmarks.
 */
final class TimeScale {
    static final int FACTOR = Math.max(1, Integer.getInteger("mapsnap.itest.time-scale", 1));

    private TimeScale() {
    }

    static long millis(long millis) {
        return millis * FACTOR;
    }

    static Duration of(Duration d) {
        return d.multipliedBy(FACTOR);
    }

    static boolean emulated() {
        return FACTOR > 1;
    }
}
