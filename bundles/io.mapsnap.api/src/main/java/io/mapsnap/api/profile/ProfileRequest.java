package io.mapsnap.api.profile;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What to profile and how.
 *
 * @param pids the processes to sample; empty means every process on the machine
 * @param cgroupId a cgroup v2 id to restrict sampling to, or 0
 * @param duration how long to sample
 * @param frequencyHz samples per second per CPU (cpu-clock)
 * @param collector the map collector to use by name, or {@code null} for the best the kernel supports
 * @param kernelStacks whether to record kernel stacks as well as user stacks
 */
public record ProfileRequest(Set<Integer> pids, long cgroupId, Duration duration, int frequencyHz, String collector,
        boolean kernelStacks) {

    /** Frequency used when none is given: 99 Hz, off the 100 Hz timer tick so samples do not alias with it. */
    public static final int DEFAULT_FREQUENCY_HZ = 99;

    public ProfileRequest {
        pids = Set.copyOf(pids);
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (frequencyHz < 1 || frequencyHz > 100_000) {
            throw new IllegalArgumentException("frequency must be between 1 and 100000 Hz: " + frequencyHz);
        }
        for (int pid : pids) {
            if (pid <= 0) {
                throw new IllegalArgumentException("not a process id: " + pid);
            }
        }
    }

    /** Every process, for {@code duration}, at the default frequency, with kernel stacks, best collector. */
    public static ProfileRequest allProcesses(Duration duration) {
        return new ProfileRequest(Set.of(), 0, duration, DEFAULT_FREQUENCY_HZ, null, true);
    }
}
