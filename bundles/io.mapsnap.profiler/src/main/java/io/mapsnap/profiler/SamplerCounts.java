package io.mapsnap.profiler;

/**
 * The sampling program's counters.
 *
 * @param sampled samples written to the ring buffer
 * @param lost samples the ring buffer had no room for
 * @param idle samples of the idle task, not recorded
 * @param malformed records that did not decode
 */
record SamplerCounts(long sampled, long lost, long idle, long malformed) {
}
