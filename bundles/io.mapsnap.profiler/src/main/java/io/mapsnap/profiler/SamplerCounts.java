package io.mapsnap.profiler;

/**
 * The sampling program's counters.
 *
 * @param sampled samples written to the ring buffer
 * @param lost samples the ring buffer had no room for
 * @param idle samples of the idle task, not recorded
 * @param malformed records that did not decode
 * @param findVma the in-sample lookups' counters; {@code null} for a sampler without them
 * @param taskWork the deferred walks' counters; {@code null} for a sampler without them
 */
record SamplerCounts(long sampled, long lost, long idle, long malformed, FindVmaCounts findVma,
        TaskWorkCounts taskWork) {
}
