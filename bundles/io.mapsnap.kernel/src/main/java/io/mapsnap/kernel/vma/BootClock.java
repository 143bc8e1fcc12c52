package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Converts CLOCK_BOOTTIME nanoseconds (what BPF's bpf_ktime_get_boot_ns returns) to wall-clock instants, with one
 * boot instant measured on first use: every conversion in this JVM then agrees with every other, so two boot-clock
 * times compare the same way as their instants (the profiler orders in-sample maps against samples by them).
 */
public final class BootClock {
    private BootClock() {
    }

    /** The wall-clock time of {@code bootNanos}, to /proc/uptime's resolution (10 ms). */
    public static Instant toInstant(long bootNanos) {
        return Boot.INSTANT.plusNanos(bootNanos);
    }

    private static final class Boot {
        static final Instant INSTANT = measure();

        private static Instant measure() {
            try {
                String uptime = Files.readString(Path.of("/proc/uptime"));
                double seconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
                return Instant.now().minusNanos((long) (seconds * 1e9));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/uptime", e);
            }
        }
    }
}
