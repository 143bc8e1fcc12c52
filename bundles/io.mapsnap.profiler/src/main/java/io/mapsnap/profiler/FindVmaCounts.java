package io.mapsnap.profiler;

import java.util.Map;

/**
 * The find-vma sampler's counters: how its in-sample lookups went, and what reached user space.
 *
 * @param lookups bpf_find_vma calls: at most one per sample, for its innermost frame in no mapping known yet
 * @param busy lookups that failed with -EBUSY (the mmap lock or its irq_work was taken): a later sample retries
 * @param missing lookups that found no VMA at the frame's address
 * @param mappings mappings written (once per process and address space)
 * @param recordsDropped mapping records the ring buffer had no room for
 * @param snapshots in-sample snapshots delivered
 * @param incomplete of them, those missing records
 * @param malformed records that did not decode
 */
record FindVmaCounts(long lookups, long busy, long missing, long mappings, long recordsDropped,
        long snapshots, long incomplete, long malformed) {

    /** As profile counters, named {@code sampler.find-vma.*}. */
    void addTo(Map<String, Long> counters) {
        String p = "sampler.find-vma.";
        counters.put(p + "lookups", lookups);
        counters.put(p + "lookups-busy", busy);
        counters.put(p + "lookups-missing", missing);
        counters.put(p + "mappings", mappings);
        counters.put(p + "records-dropped", recordsDropped);
        counters.put(p + "snapshots", snapshots);
        counters.put(p + "snapshots-incomplete", incomplete);
        counters.put(p + "records-malformed", malformed);
    }
}
