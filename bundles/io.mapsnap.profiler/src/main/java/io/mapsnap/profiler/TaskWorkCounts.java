package io.mapsnap.profiler;

import java.util.Map;

/**
 * The task_work sampler's counters: the walks its samples queued into the sampled tasks, how they went, and what
 * reached user space.
 *
 * @param queued walks queued by samples (one per address space, again when its VMA count moved)
 * @param queueFailed walks the kfunc refused to queue (the task exiting, or its work already queued)
 * @param walks deferred walks done
 * @param walksFailed deferred walks whose iterator failed
 * @param stale deferred walks that found another address space (an exec) or none, not walked
 * @param scratchBusy deferred walks put off because the CPU's walk scratch was in use (a later sample queues them)
 * @param recordsDropped VMA records the ring buffer had no room for
 * @param snapshots snapshots delivered
 * @param incomplete of them, those missing records
 * @param malformed records that did not decode
 */
record TaskWorkCounts(long queued, long queueFailed, long walks, long walksFailed, long stale, long scratchBusy,
        long recordsDropped, long snapshots, long incomplete, long malformed) {

    /** As profile counters, named {@code sampler.task-work.*}. */
    void addTo(Map<String, Long> counters) {
        String p = "sampler.task-work.";
        counters.put(p + "queued", queued);
        counters.put(p + "queue-failed", queueFailed);
        counters.put(p + "walks", walks);
        counters.put(p + "walks-failed", walksFailed);
        counters.put(p + "walks-stale", stale);
        counters.put(p + "walks-scratch-busy", scratchBusy);
        counters.put(p + "records-dropped", recordsDropped);
        counters.put(p + "snapshots", snapshots);
        counters.put(p + "snapshots-incomplete", incomplete);
        counters.put(p + "records-malformed", malformed);
    }
}
