package io.mapsnap.api.profile;

import java.time.Duration;

/**
 * A running profile's counters, reported about once a second.
 *
 * @param elapsed time since sampling started
 * @param samples samples received
 * @param processes distinct processes seen in samples
 * @param exitedCaptured processes that exited during the profile and whose final map was captured
 * @param drops samples and map records lost (ring buffer full, stack unreadable)
 */
public record ProfileProgress(Duration elapsed, long samples, int processes, int exitedCaptured, long drops) {
}
