package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Converts CLOCK_BOOTTIME nanoseconds (what BPF's bpf_ktime_get_boot_ns returns) to wall-clock instants. */
public final class BootClock {
    private BootClock() {
    }

    /** The wall-clock time of {@code bootNanos}, to /proc/uptime's resolution (10 ms). */
    public static Instant toInstant(long bootNanos) {
        try {
            String uptime = Files.readString(Path.of("/proc/uptime"));
            double seconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            Instant boot = Instant.now().minusNanos((long) (seconds * 1e9));
            return boot.plusNanos(bootNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/uptime", e);
        }
    }
}
