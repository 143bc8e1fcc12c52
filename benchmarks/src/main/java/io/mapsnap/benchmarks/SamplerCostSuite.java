package io.mapsnap.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.iter.KfuncVmaCollector;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.HookedVmaCollection;
import io.mapsnap.kernel.vma.HookedVmaCollector;

/**
 * The per-sample cost of the profiler's perf_event program, with and without collection-time map capture (the
 * kfunc collector attached at the same time), from BPF run-time statistics, every CPU busy with short_lived.
 *
 * <p>Five variants run in phases of the same rounds (order rotated), so machine load falls on all alike: sampling
 * alone; sampling without kernel stacks (the profiler's --no-kernel: how much of a sample the kernel stack walk
 * is); sampling whose ring buffer submit never wakes the reader (what the profiler's wake-up once a quarter of the
 * ring waits still costs: in a VM a wake-up is an interrupt to raise); sampling with the collector; sampling on the first CPU's event alone, for the
 * distribution of single samples. Each phase loads and attaches its own programs and starts timing
 * {@link #SETTLE} later. In each phase the mean is Δrun_time_ns ÷ Δrun_cnt of {@code profile_sample}. In the
 * one-CPU phases single samples are timed by reading the program's statistics every {@link #POLL_NANOS} and
 * keeping each interval in which run_cnt moved by exactly one (at 99 Hz on one CPU an interval holds at most one
 * sample as a rule, so this keeps nearly all and favours no duration). The collector's phases leave out the first
 * walk of every process alive (at its next system call, within the settle time) and time its programs per call
 * and per walk.
 */
final class SamplerCostSuite implements BenchmarkSuite {
    static final int FREQUENCY_HZ = 99;
    static final double TARGET_NS_PER_SAMPLE = 5_000;
    private static final long POLL_NANOS = 500_000;
    private static final Duration SETTLE = Duration.ofMillis(500);
    private static final String SAMPLER = "profile_sample";
    private static final String SYS_ENTER = "collect_on_sys_enter";

    /** What one phase measured. */
    private static final class Phase {
        final List<Long> singleRuns = new ArrayList<>();
        long samplerNs;
        long samples;
        long wallNs;
        final Map<String, long[]> collector = new HashMap<>(); // name -> {ns, calls}
        long walks;
        long deferredWalks; // the task-work sampler's, done in the tasks outside its statistics

        long collectorNs() {
            return collector.values().stream().mapToLong(v -> v[0]).sum();
        }
    }

    @Override
    public String title() {
        return "profiler: per-sample BPF cost";
    }

    /** What runs in a phase. */
    private enum Variant {
        SAMPLING_ONLY("profile_sample, sampling only", true, 0, false, false),
        NO_KERNEL_STACKS("profile_sample, sampling only, --no-kernel (user stacks only)", false, 0, false, false),
        NO_WAKEUP("profile_sample, sampling only, ring wake-up never (BPF_RB_NO_WAKEUP)", true,
                SampledProgram.RB_NO_WAKEUP, false, false),
        WITH_CAPTURE("profile_sample, kfunc collector attached", true, 0, true, false),
        /* The find-vma sampler: its own capture, one bpf_find_vma per sample at most, a mapping written once. */
        FIND_VMA("profile_sample of the find-vma sampler (mappings resolved in the sample)", true, 0, false, false,
                SampledProgram.FIND_VMA_OBJECT),
        /* The task-work sampler (7.x's kfunc shape): a sample of an address space not walked yet queues its whole
         * walk into the task. Only the queueing is in the sample's run time: the walk runs later, in the task, outside
         * the program's statistics; it is the kfunc collector's walk (its per-walk row), once per address space. */
        TASK_WORK("profile_sample of the task-work sampler (walks deferred into the task)", true, 0, false, false,
                SampledProgram.TASK_WORK_OBJECT),
        /* The build-ID sampler: the kernel reads each user frame's build ID (BPF_F_USER_BUILD_ID). */
        BUILD_ID("profile_sample of the build-ID sampler (BPF_F_USER_BUILD_ID)", true, 0, false, false,
                SampledProgram.BUILD_ID_OBJECT),
        /*
         * The CPUs' cpu-clock timers fire together, so with every CPU attached most polling intervals hold two
         * samples and the few that hold one are not a fair draw: single samples are timed on one CPU's event.
         */
        ONE_CPU("profile_sample, first CPU's event only", true, 0, false, true);

        final String label;
        final boolean kernelStacks;
        final long submitFlags;
        final boolean capture;
        final boolean firstCpuOnly;
        final String object;

        Variant(String label, boolean kernelStacks, long submitFlags, boolean capture, boolean firstCpuOnly) {
            this(label, kernelStacks, submitFlags, capture, firstCpuOnly, SampledProgram.OBJECT);
        }

        Variant(String label, boolean kernelStacks, long submitFlags, boolean capture, boolean firstCpuOnly,
                String object) {
            this.object = object;
            this.label = label;
            this.kernelStacks = kernelStacks;
            this.submitFlags = submitFlags;
            this.capture = capture;
            this.firstCpuOnly = firstCpuOnly;
        }
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Settings s = ctx.settings;
        Map<Variant, List<Phase>> phases = new EnumMap<>(Variant.class);
        int cpus;
        try (BpfStats stats = BpfStats.enableRunTime();
                CpuBurners burners = CpuBurners.onEveryCpu(ctx.nativeDir)) {
            cpus = burners.count();
            // One untimed phase of each: the burners' first children, the first loads. A variant this kernel
            // refuses (the find-vma sampler before 5.17, the kfunc collector before 6.7, task-work where no shape
            // of its kfunc loads) is left out with the kernel's words.
            List<Variant> runnable = new ArrayList<>();
            for (Variant v : Variant.values()) {
                try {
                    phase(v, 1);
                    runnable.add(v);
                    phases.put(v, new ArrayList<>());
                } catch (BpfLoadException | IllegalStateException e) {
                    ctx.note(v.label + ": cannot run here: "
                            + (e instanceof BpfLoadException b ? b.refusal() : e.getMessage()));
                }
            }
            Variant[] variants = runnable.toArray(Variant[]::new);
            for (int round = 0; round < s.profilerRounds(); round++) {
                for (int i = 0; i < variants.length; i++) {
                    Variant v = variants[(i + round) % variants.length];
                    phases.get(v).add(phase(v, s.profilerPhaseSeconds()));
                }
            }
        }
        report(ctx, phases, cpus);
    }

    private static Phase phase(Variant variant, int seconds) throws Exception {
        Phase p = new Phase();
        AtomicLong snapshots = new AtomicLong();
        try (SampledProgram sampler = SampledProgram.start(variant.object, FREQUENCY_HZ, variant.kernelStacks,
                variant.submitFlags, variant.firstCpuOnly)) {
            HookedVmaCollection collection = variant.capture ? kfuncCollector().startCollection(
                    new CollectionScope(Set.of(), 0), snap -> snapshots.incrementAndGet()) : null;
            measure(p, sampler, collection, seconds);
        }
        return p;
    }

    /** The kfunc collector as its component would choose it, or why it cannot run here. */
    private static HookedVmaCollector kfuncCollector() {
        VariantSelection<HookedVmaCollector> s = HookedVmaCollector.select("kfunc", 65536, Duration.ofSeconds(1),
                KfuncVmaCollector.variants());
        return s.chosen().orElseThrow(() -> new IllegalStateException("the kfunc collector cannot run here: "
                + s.verdicts().stream().map(v -> v.variant() + ": " + v.summary()).toList()));
    }

    private static void measure(Phase p, SampledProgram sampler, HookedVmaCollection collection, int seconds)
            throws Exception {
        try {
            Thread.sleep(SETTLE);
            Map<String, BpfRunStats> collectorBefore = collection == null ? Map.of() : collection.runStats();
            long walksBefore = collection == null ? 0 : collection.walksStarted();
            long deferredBefore = sampler.deferredWalks();
            BpfRunStats first = sampler.program().runStats();
            BpfRunStats prev = first;
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(POLL_NANOS);
                BpfRunStats now = sampler.program().runStats();
                if (now.runCount() - prev.runCount() == 1) {
                    p.singleRuns.add(now.runTimeNs() - prev.runTimeNs());
                }
                prev = now;
            }
            p.wallNs = System.nanoTime() - t0;
            p.samplerNs = prev.runTimeNs() - first.runTimeNs();
            p.samples = prev.runCount() - first.runCount();
            p.deferredWalks = sampler.deferredWalks() - deferredBefore;
            if (p.samples == 0) {
                throw new IllegalStateException("profile_sample did not run: BPF run-time statistics are off?");
            }
            if (collection != null) {
                for (Map.Entry<String, BpfRunStats> e : collection.runStats().entrySet()) {
                    BpfRunStats b = collectorBefore.get(e.getKey());
                    p.collector.put(e.getKey(), new long[] { e.getValue().runTimeNs() - b.runTimeNs(),
                            e.getValue().runCount() - b.runCount() });
                }
                p.walks = collection.walksStarted() - walksBefore;
            }
        } finally {
            if (collection != null) {
                collection.close();
            }
        }
    }

    private static void report(BenchContext ctx, Map<Variant, List<Phase>> phases, int cpus) {
        String group = String.format(Locale.ROOT, "profiler BPF cost, %d Hz, %d CPUs busy (short_lived)",
                FREQUENCY_HZ, cpus);
        String perPhase = "(mean per phase)";
        List<Phase> with = phases.get(Variant.WITH_CAPTURE);
        for (Variant v : Variant.values()) {
            List<Phase> variant = phases.get(v);
            if (variant == null) {
                continue; // refused here: noted with the kernel's words
            }
            String name = v.label;
            Spread mean = Spread.of(variant.stream().mapToDouble(p -> (double) p.samplerNs / p.samples).toArray(),
                    "ns");
            double samplesPerSecond = variant.stream().mapToLong(p -> p.samples).sum()
                    / (variant.stream().mapToLong(p -> p.wallNs).sum() / 1e9);
            long deferred = variant.stream().mapToLong(p -> p.deferredWalks).sum();
            ctx.add(new Row(group, name, "run time per sample, Δrun_time_ns ÷ Δrun_cnt " + perPhase, mean, null,
                    String.format(Locale.ROOT, "%.0f samples/s", samplesPerSecond) + (v != Variant.TASK_WORK ? ""
                            : String.format(Locale.ROOT, "; plus %.1f deferred walks/s (%.3f a sample), each a kfunc "
                                    + "walk of its process in the task, not in this row", deferred
                                    / (variant.stream().mapToLong(p -> p.wallNs).sum() / 1e9),
                                    deferred / (double) variant.stream().mapToLong(p -> p.samples).sum()))));
            if (v != Variant.ONE_CPU) {
                continue;
            }
            long[] singles = variant.stream().flatMap(p -> p.singleRuns.stream()).mapToLong(Long::longValue)
                    .toArray();
            if (singles.length >= 10) {
                double[] sorted = java.util.Arrays.stream(singles).asDoubleStream().sorted().toArray();
                ctx.add(new Row(group, name, "run time of single samples (stats read every 0.5 ms)",
                        Spread.of(singles, "ns"), null, "p99 " + Units.duration(Spread.percentile(sorted, 99))
                                + "; max " + Units.duration(sorted[sorted.length - 1])));
            } else {
                ctx.note(name + ": too few single-sample intervals (" + singles.length + ") for a distribution");
            }
        }
        if (with == null || phases.get(Variant.SAMPLING_ONLY) == null) {
            return; // no kfunc collector here: no capture rows (noted)
        }
        for (String program : with.getFirst().collector.keySet()) {
            Spread perCall = Spread.of(with.stream().mapToDouble(p -> {
                long[] v = p.collector.get(program);
                return v[1] == 0 ? 0 : (double) v[0] / v[1];
            }).toArray(), "ns");
            double callsPerSecond = with.stream().mapToLong(p -> p.collector.get(program)[1]).sum()
                    / (with.stream().mapToLong(p -> p.wallNs).sum() / 1e9);
            ctx.add(new Row(group, "kfunc collector: " + program, "run time per call " + perPhase, perCall, null,
                    String.format(Locale.ROOT, "%,.0f calls/s", callsPerSecond)
                            + (program.equals(SYS_ENTER) ? " (every system call on the machine)" : "")));
        }
        long walks = with.stream().mapToLong(p -> p.walks).sum();
        double wallSeconds = with.stream().mapToLong(p -> p.wallNs).sum() / 1e9;
        if (walks > 0) {
            ctx.add(new Row(group, "kfunc collector, all programs", "run time per walk: all calls' time ÷ walks "
                    + perPhase, Spread.of(with.stream().filter(p -> p.walks > 0)
                            .mapToDouble(p -> (double) p.collectorNs() / p.walks).toArray(), "ns"), null,
                    String.format(Locale.ROOT, "%.1f walks/s", walks / wallSeconds)));
        } else {
            ctx.note("the kfunc collector walked no process during the measured phases");
        }
        Spread amortized = Spread.of(with.stream()
                .mapToDouble(p -> (double) (p.samplerNs + p.collectorNs()) / p.samples).toArray(), "ns");
        ctx.add(new Row(group, "sampling + map capture", "BPF run time per sample: (sampler + collector) ÷ samples "
                + perPhase, amortized, null, ""));
        for (List<Phase> variant : List.of(phases.get(Variant.SAMPLING_ONLY), with)) {
            ctx.add(new Row(group, variant == with ? "sampling + map capture" : "sampling only",
                    "BPF CPU per second of wall time, % of one core " + perPhase,
                    Spread.of(variant.stream().mapToDouble(p -> 100.0 * (p.samplerNs + p.collectorNs()) / p.wallNs)
                            .toArray(), "% of one core"), null, ""));
        }
        double samplerMean = pooledMean(with);
        double collectorPerSample = with.stream().mapToLong(Phase::collectorNs).sum()
                / (double) with.stream().mapToLong(p -> p.samples).sum();
        double collectorCore = 100.0 * with.stream().mapToLong(Phase::collectorNs).sum()
                / with.stream().mapToLong(p -> p.wallNs).sum();
        double samplesPerSecond = with.stream().mapToLong(p -> p.samples).sum() / wallSeconds;
        ctx.targets.add(new Target(String.format(Locale.ROOT,
                "sampling program ≤5 µs mean per sample including map capture (%d Hz)", FREQUENCY_HZ),
                String.format(Locale.ROOT, "%s: %s sampler + %s capture amortized", Units.median(amortized),
                        Units.duration(samplerMean), Units.duration(collectorPerSample)),
                amortized.median() <= TARGET_NS_PER_SAMPLE,
                String.format(Locale.ROOT, "both parts. The sampler alone takes %s a sample (%s without kernel "
                        + "stacks, %s never waking the ring buffer's reader: the bulk is in the two stack walks "
                        + "and the user stack copy, not split further here). Capture is not paid per "
                        + "sample: collect_on_sys_enter runs on every system call on the machine and the "
                        + "programs walk each process at its first system call, after exec and at exit, "
                        + "%.1f walks/s here; that is %.2f %% of a core, which spread over %.0f samples/s is %s "
                        + "a sample, a tenth of that at 999 Hz, more with more process churn",
                        Units.duration(pooledMean(phases.get(Variant.SAMPLING_ONLY))),
                        Units.duration(pooledMean(phases.get(Variant.NO_KERNEL_STACKS))),
                        Units.duration(pooledMean(phases.get(Variant.NO_WAKEUP))), walks / wallSeconds,
                        collectorCore, samplesPerSecond, Units.duration(collectorPerSample))));
    }

    /** Δrun_time ÷ Δrun_cnt of the sampler over all phases of a variant. */
    private static double pooledMean(List<Phase> phases) {
        return phases.stream().mapToLong(p -> p.samplerNs).sum()
                / (double) phases.stream().mapToLong(p -> p.samples).sum();
    }
}
