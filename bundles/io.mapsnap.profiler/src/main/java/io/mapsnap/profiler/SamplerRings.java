package io.mapsnap.profiler;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.program.ProgramVariant;

/**
 * The sampler object's ring buffer sizes, fitted before load to what goes through them rather than to the worst
 * case: the kernel maps a ring's pages into the reader whole, twice (its data area is mapped two times over), so each
 * byte of ring is two bytes of the profiler's resident set, whether used or not.
 */
final class SamplerRings {
    private SamplerRings() {
    }

    /**
     * How long the sample ring must hold what all CPUs write: the reader polls every 50 ms and is woken once a quarter
     * of the ring waits, so four polls' worth of samples at the full rate fit.
     */
    static final double HELD_SECONDS = 0.2;
    static final int MIN_SAMPLE_RING = 256 << 10;
    static final int MAX_SAMPLE_RING = 64 << 20;
    /** find-vma writes one small snapshot per mapping new to a process: hundreds a second under churn, ~0.4 KiB each. */
    static final int FIND_VMA_RECORD_RING = 512 << 10;
    /** task-work writes whole walks of executable mappings, drained as they come (as the collector's ring). */
    static final int TASK_WORK_RECORD_RING = 2 << 20;
    /** The bpf_ringbuf record header in front of each sample. */
    private static final int RING_HEADER = 8;

    /** Sets the rings of a sampler object that has not loaded yet, and the wake-up threshold that goes with them. */
    static void fit(BpfObject o, ProgramVariant variant, int frequencyHz) throws BpfException {
        int samples = sampleRingBytes(Runtime.getRuntime().availableProcessors(), frequencyHz,
                variant == StackSampler.BUILD_ID ? SampleRecordLayout.BUILD_ID_SIZE : SampleRecordLayout.SIZE);
        o.map("samples").setMaxEntries(samples);
        o.setRodata("wakeup_bytes", samples / 4);
        if (variant == StackSampler.FIND_VMA) {
            o.map("records").setMaxEntries(FIND_VMA_RECORD_RING);
        } else if (StackSampler.isTaskWork(variant)) {
            o.map("records").setMaxEntries(TASK_WORK_RECORD_RING);
        }
    }

    /** A power of two (as the kernel requires) that holds {@link #HELD_SECONDS} of samples from every CPU. */
    static int sampleRingBytes(int cpus, int frequencyHz, int recordBytes) {
        double need = (double) cpus * frequencyHz * (recordBytes + RING_HEADER) * HELD_SECONDS;
        long bytes = MIN_SAMPLE_RING;
        while (bytes < need && bytes < MAX_SAMPLE_RING) {
            bytes <<= 1;
        }
        return (int) bytes;
    }
}
