package io.mapsnap.api.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * How a profile was taken and what it lost.
 *
 * @param start when sampling started
 * @param duration how long it sampled
 * @param frequencyHz samples per second per CPU
 * @param event the sampled event, e.g. {@code cpu-clock}
 * @param collector the map collector that supplied the memory maps
 * @param kernelRelease the kernel it ran on
 * @param samples samples kept
 * @param lostSamples samples lost (ring buffer full)
 * @param processes distinct processes sampled
 * @param exitedProcesses of those, processes that exited during the profile
 * @param counters further counters by name (stack errors, snapshots by trigger, ...)
 */
public record ProfileMetadata(Instant start, Duration duration, int frequencyHz, String event, String collector,
        String kernelRelease, long samples, long lostSamples, int processes, int exitedProcesses,
        Map<String, Long> counters) {

    public ProfileMetadata {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        counters = Map.copyOf(counters);
    }

    /** Nanoseconds between samples on one CPU. */
    public long periodNanos() {
        return 1_000_000_000L / frequencyHz;
    }
}
