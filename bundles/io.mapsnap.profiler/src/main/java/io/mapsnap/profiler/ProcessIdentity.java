package io.mapsnap.profiler;

/**
 * A process as distinct from its pid: the pid with the process's start time, so that a reused pid never maps to
 * another process's snapshot.
 *
 * @param tgid the process id
 * @param startTime start time in clock ticks since boot (/proc/PID/stat field 22)
 */
record ProcessIdentity(int tgid, long startTime) {
}
