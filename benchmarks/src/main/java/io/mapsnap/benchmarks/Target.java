package io.mapsnap.benchmarks;

/**
 * A performance goal and how this run did against it. Goals are reported, never asserted.
 *
 * @param goal e.g. {@code kfunc snapshot within 1.3x of the raw iterator floor (large process)}
 * @param measured what was measured, e.g. {@code 1.84x}
 * @param met whether the goal was reached in this run
 * @param boundBy for a missed goal, what bounds it; for a met one, may be empty
 */
public record Target(String goal, String measured, boolean met, String boundBy) {
}
