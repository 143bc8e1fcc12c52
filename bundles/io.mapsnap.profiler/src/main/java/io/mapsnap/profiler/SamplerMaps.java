package io.mapsnap.profiler;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.RingBufferDrain;
import io.mapsnap.kernel.vma.VmaRecordDecoder;
import io.mapsnap.kernel.vma.WalkedProcess;

/**
 * The maps a sampler wrote itself, from the object's {@code records} ring buffer, to the profile's maps like any
 * collector's snapshots. The find-vma sampler's (bpf-programs/include/mapsnap_sample_vmas.h): each sample that met a
 * mapping new to its process writes it as a small snapshot (trigger IN_SAMPLE, taken at the sample's time); together
 * they hold every mapping the process's samples landed in. The task-work samplers'
 * (bpf-programs/include/mapsnap_sample_task_work.h): whole walks of an address space (trigger DEFERRED), run in the
 * task after a sample of it.
 */
final class SamplerMaps implements AutoCloseable {
    /** The source of the find-vma sampler's in-sample mappings. */
    static final String FIND_VMA_SOURCE = "find-vma";
    /** The source of the task-work samplers' deferred walks. */
    static final String TASK_WORK_SOURCE = "task-work";

    private final String source;
    private final RingBufferDrain drain;
    private final VmaRecordDecoder decoder;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();

    private SamplerMaps(BpfObject object, String source, Consumer<CollectedSnapshot> sink) throws BpfException {
        this.source = source;
        this.decoder = new VmaRecordDecoder(p -> deliver(p, sink));
        this.drain = RingBufferDrain.start("mapsnap-sampler-maps", object.map("records"), this::onRecord);
    }

    /** Starts draining a loaded sampler's maps into {@code sink}, as snapshots of {@code source}. */
    static SamplerMaps start(BpfObject object, String source, Consumer<CollectedSnapshot> sink)
            throws BpfException {
        return new SamplerMaps(object, source, sink);
    }

    private void onRecord(MemorySegment record) {
        try {
            decoder.accept(record);
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet(); // counted and skipped: one bad record never ends the profile
        }
    }

    private void deliver(WalkedProcess p, Consumer<CollectedSnapshot> sink) {
        if (p.dropped()) {
            incomplete.incrementAndGet(); // some of its mappings were lost to a full ring buffer
        }
        snapshots.incrementAndGet();
        sink.accept(new CollectedSnapshot(p.toSnapshot(source), p.mm(), p.captureTrigger()));
    }

    /** Snapshots delivered, of them incomplete, and records that did not decode or lost their header. */
    SamplerMapCounts counts() {
        return new SamplerMapCounts(snapshots.get(), incomplete.get(), malformed.get() + decoder.orphanRecords());
    }

    /** The drain's failure, if the ring buffer could not be read. */
    Exception failure() {
        return drain.failure();
    }

    /** Delivers what is left in the ring buffer, including walks whose trailer never came. */
    @Override
    public void close() {
        drain.close();
        decoder.finish();
    }

    /** What arrived from the sampler's mapping records. */
    record SamplerMapCounts(long snapshots, long incomplete, long malformed) {
    }
}
