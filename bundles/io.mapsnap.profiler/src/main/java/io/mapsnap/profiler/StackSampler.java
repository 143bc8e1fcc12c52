package io.mapsnap.profiler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfMap;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.BpfProgram;
import io.mapsnap.kernel.bpf.PerfEvent;
import io.mapsnap.kernel.bpf.RingBufferDrain;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.vma.IterVmaWalker;
import io.mapsnap.kernel.vma.WalkerKernelFacts;

/**
 * The sampling side: profile_sampler.bpf.c on one cpu-clock perf event per CPU, its ring buffer drained by a thread
 * that decodes each sample for the consumer; the mapping records of the find-vma variant, or the deferred walks of the
 * task-work variants, drained by another ({@link SamplerMaps}). Sequence: open → rodata → load → target map → perf events → attach → drain →
 * close (links, then events, then the object).
 */
final class StackSampler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StackSampler.class.getName());

    /** Resolves user frames to their mappings inside the sample (bpf_find_vma, 5.17+). */
    static final ProgramVariant FIND_VMA = new ProgramVariant("find-vma", "profile_sampler_find_vma",
            StackSampler.class);
    /**
     * A sample of an address space not walked yet queues its whole kfunc walk into the task itself, to run on its
     * return to user space (bpf_task_work_schedule_resume in 7.x's shape, the program argument implicit).
     */
    static final ProgramVariant TASK_WORK = new ProgramVariant("task-work", "profile_sampler_task_work",
            StackSampler.class);
    /** The same with the kfunc's first shape (the program argument explicit). */
    static final ProgramVariant TASK_WORK_V1 = new ProgramVariant("task-work-v1",
            "profile_sampler_task_work_prog_arg", StackSampler.class);
    /**
     * User frames as (build ID, file offset) where the kernel can read the build ID (BPF_F_USER_BUILD_ID): named
     * through the file with that build ID, wherever it was read, and portable to a symbolizer elsewhere.
     */
    static final ProgramVariant BUILD_ID = new ProgramVariant("build-id", "profile_sampler_build_id",
            StackSampler.class);
    /** Plain helpers only, nothing a kernel with perf_event BPF refuses: the maps come from the collector alone. */
    static final ProgramVariant FRAME_POINTERS = new ProgramVariant("frame-pointers", "profile_sampler",
            StackSampler.class);
    /** The sampler's variants, best first. */
    static final List<ProgramVariant> VARIANTS = List.of(FIND_VMA, TASK_WORK, TASK_WORK_V1, BUILD_ID, FRAME_POINTERS);

    private final ProgramVariant variant;
    private final BpfObject object;
    private final List<PerfEvent> events;
    private final List<BpfLink> links = new ArrayList<>();
    private final RingBufferDrain drain;
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean stopping;
    private SamplerMaps samplerMaps;
    private SamplerCounts last = new SamplerCounts(0, 0, 0, 0, null, null);
    private boolean closed;

    private StackSampler(ProgramVariant variant, BpfObject object, List<PerfEvent> events,
            Consumer<StackSample> consumer) throws BpfException {
        this.variant = variant;
        this.object = object;
        this.events = events;
        this.drain = RingBufferDrain.start("mapsnap-sampler", object.map("samples"), r -> {
            try {
                consumer.accept(StackSample.decode(r));
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
            }
        });
    }

    /** Whether the variant writes mappings of its own (find-vma's lookups, task-work's deferred walks). */
    static boolean writesMaps(ProgramVariant variant) {
        return variant == FIND_VMA || isTaskWork(variant);
    }

    static boolean isTaskWork(ProgramVariant variant) {
        return variant == TASK_WORK || variant == TASK_WORK_V1;
    }

    /** The variant of that name, if it is one of the sampler's. */
    static Optional<ProgramVariant> variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Sets the sampler's rodata before it loads. */
    static void configure(ProgramVariant variant, BpfObject o, int frequencyHz, boolean filterTgids, long cgroupId,
            boolean kernelStacks) throws BpfException {
        SamplerRings.fit(o, variant, frequencyHz);
        o.setRodataInt("filter_tgids", filterTgids ? 1 : 0);
        o.setRodata("filter_cgroup_id", cgroupId);
        o.setRodataInt("kernel_stacks", kernelStacks ? 1 : 0);
        o.setRodataInt("self_tgid", (int) ProcessHandle.current().pid());
        if (writesMaps(variant)) {
            // It names mapped files as the walkers do, and needs the same facts of this kernel.
            WalkerKernelFacts.running().setRodata(o);
        }
        // The deferred walk (task-work) feeds the profile's symbolizer alone, which needs executable mappings; the
        // other variants have no walk.
        IterVmaWalker.walkExecutableOnly(o);
    }

    /**
     * Starts sampling every CPU at {@code frequencyHz} with {@code variant}, restricted to {@code tgids} (empty:
     * all) and the cgroup (0: any). The find-vma variant's in-sample mappings go to {@code inSample}.
     */
    static StackSampler start(ProgramVariant variant, int frequencyHz, Set<Integer> tgids, long cgroupId,
            boolean kernelStacks, Consumer<StackSample> consumer, Consumer<CollectedSnapshot> inSample)
            throws BpfException, IOException {
        BpfObject o = variant.open();
        List<PerfEvent> events = List.of();
        StackSampler sampler = null;
        try {
            configure(variant, o, frequencyHz, !tgids.isEmpty(), cgroupId, kernelStacks);
            o.load();
            BpfMap targets = o.map("target_tgids");
            for (int tgid : tgids) {
                targets.update(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(tgid).array(),
                        new byte[] {1}, BpfMap.BPF_ANY);
            }
            events = PerfEvent.openCpuClockOnEachCpu(frequencyHz);
            sampler = new StackSampler(variant, o, events, consumer);
            if (writesMaps(variant)) {
                sampler.samplerMaps = SamplerMaps.start(o, isTaskWork(variant) ? SamplerMaps.TASK_WORK_SOURCE
                        : SamplerMaps.FIND_VMA_SOURCE, inSample);
            }
            BpfProgram program = o.program("profile_sample");
            for (PerfEvent e : events) {
                sampler.links.add(program.attachPerfEvent(e));
            }
            if (writesMaps(variant)) {
                sampler.awaitOwnRoot();
            }
            return sampler;
        } catch (BpfException | RuntimeException e) {
            if (sampler != null) {
                sampler.close();
            } else {
                events.forEach(PerfEvent::close);
                o.close();
            }
            throw e;
        }
    }

    /**
     * The find-vma and task-work samplers name files up to this process's root, which it learns from a sample of this process:
     * wait for one (a thread spinning here is on a CPU at the next tick), so that no path runs from the top of the
     * mount tree instead. A chrooted profiler (the kernel matrix's guests run in one) would see other paths.
     */
    private void awaitOwnRoot() throws BpfException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (object.readGlobalLong(".bss", "collector_root_dentry", 0) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (object.readGlobalLong(".bss", "collector_root_dentry", 0) == 0) {
            LOG.log(System.Logger.Level.WARNING, "sampler {0}: no sample of this process within 2 s; paths run to"
                    + " the top of the mount tree", variant.name());
        }
    }

    /** The variant sampling. */
    ProgramVariant variant() {
        return variant;
    }

    /** Samples the program wrote, lost to a full ring buffer, and of the idle task (not recorded). */
    synchronized SamplerCounts counts() {
        if (closed) {
            return last;
        }
        try {
            last = new SamplerCounts(object.readGlobalLong(".bss", "sampled", 0),
                    object.readGlobalLong(".bss", "lost", 0), object.readGlobalLong(".bss", "idle", 0),
                    malformed.get(), findVmaCounts(), taskWorkCounts());
        } catch (BpfException e) {
            // Keep the last counts: a failed read of a counter must not end the profile.
        }
        return last;
    }

    private TaskWorkCounts taskWorkCounts() throws BpfException {
        if (!isTaskWork(variant) || samplerMaps == null) {
            return null;
        }
        SamplerMaps.SamplerMapCounts delivered = samplerMaps.counts();
        return new TaskWorkCounts(object.readGlobalLong(".bss", "walks_queued", 0),
                object.readGlobalLong(".bss", "walks_queue_failed", 0), object.readGlobalLong(".bss", "walks", 0),
                object.readGlobalLong(".bss", "walks_failed", 0), object.readGlobalLong(".bss", "walks_stale", 0),
                object.readGlobalLong(".bss", "walks_scratch_busy", 0), object.readGlobalLong(".bss", "dropped", 0),
                delivered.snapshots(), delivered.incomplete(), delivered.malformed());
    }

    private FindVmaCounts findVmaCounts() throws BpfException {
        if (variant != FIND_VMA || samplerMaps == null) {
            return null;
        }
        SamplerMaps.SamplerMapCounts delivered = samplerMaps.counts();
        return new FindVmaCounts(object.readGlobalLong(".bss", "vma_lookups", 0),
                object.readGlobalLong(".bss", "vma_lookups_busy", 0),
                object.readGlobalLong(".bss", "vma_lookups_missing", 0),
                object.readGlobalLong(".bss", "vma_records", 0),
                object.readGlobalLong(".bss", "dropped", 0), delivered.snapshots(), delivered.incomplete(),
                delivered.malformed());
    }

    /** The drains' failure, if a ring buffer could not be read. */
    Exception drainFailure() {
        Exception e = drain.failure();
        return e != null || samplerMaps == null ? e : samplerMaps.failure();
    }

    /**
     * Stops sampling and delivers every sample still in the ring buffer; the program stays loaded (its kernel
     * symbol too, for naming frames inside it) until {@link #close()}.
     */
    synchronized void stopSampling() {
        if (stopping) {
            return;
        }
        links.forEach(BpfLink::close);
        events.forEach(PerfEvent::close);
        drain.close();
        if (samplerMaps != null) {
            samplerMaps.close();
        }
        counts();
        stopping = true;
    }

    /** Stops sampling if still running, and frees everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopSampling();
        closed = true;
        object.close();
    }
}
