package io.mapsnap.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mapsnap.kernel.bpf.BpfStats;

/**
 * A build server's shape: short_lived chains on every CPU whose children live a few milliseconds each, hundreds of
 * processes a second, profiled with {@code profile --all} at 99 Hz with ./mapsnap's JVM options; then the same at
 * about twice the process rate. Per rate: the processes the profile saw exit, the share of sampled user frames it
 * named (nearly all samples are of the children, each gone long before symbolization), samples lost, and the
 * profiler's CPU (JVM + BPF, as in {@link ProfilerOverheadSuite}). Cost must grow no faster than the rate. The rate
 * is the machine's: processes created (/proc/stat) over the profiler's run.
 */
final class ChurnStormSuite implements BenchmarkSuite {
    /** Children of 8 ms and of 3 ms: about 200 and 400 processes a second on 2 CPUs, with exec and exit between. */
    private static final int[] CHILD_MS = {8, 3};
    static final double TARGET_NAMED_PERCENT = 99;
    static final double TARGET_LOST_PERCENT = 1;
    private static final Pattern SAMPLES = Pattern.compile("([\\d,]+) samples \\(([\\d,]+) lost\\) of ([\\d,]+) "
            + "processes, ([\\d,]+) of them exited");
    private static final Pattern MAPPINGS = Pattern.compile("mappings: ([\\d,]+) resolved in the sample, ([\\d,]+) "
            + "from the collector's maps, ([\\d,]+) in none");
    private static final Pattern NAMED = Pattern.compile("([\\d.]+) % of user frames named \\(([\\d,]+) of ([\\d,]+)\\)");

    /** What one storm's profile said of itself, with its CPU. */
    private record Storm(int childMs, double processRate, long samples, long lost, long sampledExited, long named,
            long frames, long inNoMapping, ProfilerProcess.Result run) {
        double namedPercent() {
            return frames == 0 ? Double.NaN : 100.0 * named / frames;
        }

        double lostPercent() {
            return samples + lost == 0 ? Double.NaN : 100.0 * lost / (samples + lost);
        }

        double corePercent() {
            return ProfilerProcess.Interval.corePercent(run.intervals());
        }
    }

    @Override
    public String title() {
        return "profiler: churn storm";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        List<String> options = ProfilerOverheadSuite.scriptOptions(ctx.root);
        int window = ctx.settings.churnWindowSeconds();
        Map<Integer, Storm> storms = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        try (BpfStats stats = BpfStats.enableRunTime()) {
            for (int childMs : CHILD_MS) {
                System.err.println("bench:   churn storm: children of " + childMs + " ms on " + cpus
                        + " CPUs, profile --all for " + window + " s ...");
                try (CpuBurners storm = CpuBurners.onEveryCpu(ctx.nativeDir, childMs)) {
                    long forks = forksSinceBoot();
                    long t0 = System.nanoTime();
                    ProfilerProcess.Result r = ProfilerProcess.run(ctx, 99, options, window);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    storms.put(childMs, parse(childMs, (forksSinceBoot() - forks) / seconds, r));
                }
            }
        }
        String group = String.format(Locale.ROOT, "churn storm, profile --all at 99 Hz, %d CPUs, ./mapsnap's "
                + "JVM options", cpus);
        Storm base = storms.get(CHILD_MS[0]);
        List<String> verdicts = new ArrayList<>();
        boolean met = true;
        for (Storm s : storms.values()) {
            String name = String.format(Locale.ROOT, "children of %d ms: %.0f processes/s", s.childMs(),
                    s.processRate());
            ctx.add(new Row(group, name, "CPU: profiler JVM + its BPF programs, % of one core (1-s intervals)",
                    Spread.of(s.run().intervals().stream().mapToDouble(ProfilerProcess.Interval::corePercent)
                            .toArray(), "% of one core"), null, s == base ? String.format(Locale.ROOT, "%,d sampled processes "
                                    + "exited during the profile", s.sampledExited())
                                    : String.format(Locale.ROOT, "%.2f× the CPU at %.2f× the process rate",
                                            s.corePercent() / base.corePercent(), s.processRate() / base.processRate())));
            ctx.add(new Row(group, name, "sampled user frames named (the profile's own count)",
                    Spread.of(new double[] {s.namedPercent()}, "%"), null,
                    String.format(Locale.ROOT, "%,d of %,d frames; %,d in no mapping the profile knew (%.2f %%)",
                            s.named(), s.frames(), s.inNoMapping(), 100.0 * s.inNoMapping() / s.frames())));
            ctx.add(new Row(group, name, "samples lost to a full ring (counted by the sampler)",
                    Spread.of(new double[] {s.lostPercent()}, "%"), null,
                    String.format(Locale.ROOT, "%,d lost of %,d", s.lost(), s.samples() + s.lost())));
            ctx.add(new Row(group, name, "peak RSS of the profiler JVM (VmHWM)",
                    Spread.of(new double[] {s.run().peakRssKb() / 1024.0}, "MB"), null, ""));
            met &= s.namedPercent() >= TARGET_NAMED_PERCENT && s.lostPercent() <= TARGET_LOST_PERCENT;
            verdicts.add(String.format(Locale.ROOT, "%.0f/s: %.2f %% named, %.2f %% lost, %.2f %% of a core",
                    s.processRate(), s.namedPercent(), s.lostPercent(), s.corePercent()));
        }
        Storm high = storms.get(CHILD_MS[CHILD_MS.length - 1]);
        double costRatio = high.corePercent() / base.corePercent();
        double rateRatio = high.processRate() / base.processRate();
        boolean linear = costRatio <= rateRatio;
        boolean fastEnough = base.processRate() >= 200;
        ctx.targets.add(new Target("churn storm (≥200 processes/s): ≥99 % of sampled user frames named, ≤1 % lost, "
                + "CPU no faster than linear in the process rate",
                String.join("; ", verdicts) + String.format(Locale.ROOT, "; CPU %.2f× at %.2f× the rate", costRatio,
                        rateRatio), met && linear && fastEnough,
                !fastEnough ? String.format(Locale.ROOT, "the workload reached only %.0f processes/s here",
                        base.processRate())
                        : met && linear ? ""
                        : "the frames not named, looked at in the folded output of such a run: ld.so's (each "
                                + "child's dynamic loader runs for a good part of a 3-ms life, and Debian's ld.so has "
                                + "no symbol table without its debug file), JIT code of JVMs without a perf map, and "
                                + "addresses from frame-pointer chains that ran into code built without frame "
                                + "pointers (0xffffffffffffffff, ASCII bytes): symbols and issue 17's unwinder bound "
                                + "these more than the maps; the rows give the share in no mapping the profile knew"));
    }

    /** The machine's processes created since boot (/proc/stat): the storm's children, and the few others. */
    private static long forksSinceBoot() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))) {
            if (line.startsWith("processes ")) {
                return Long.parseLong(line.substring("processes ".length()).strip());
            }
        }
        throw new java.io.IOException("/proc/stat has no processes line");
    }

    private static Storm parse(int childMs, double processRate, ProfilerProcess.Result r) {
        Matcher samples = SAMPLES.matcher(r.summary());
        Matcher named = NAMED.matcher(r.summary());
        Matcher mappings = MAPPINGS.matcher(r.summary());
        if (!samples.find() || !named.find() || !mappings.find()) {
            throw new IllegalStateException("the profile printed no summary: " + r.summary());
        }
        return new Storm(childMs, processRate, number(samples.group(1)), number(samples.group(2)),
                number(samples.group(4)), number(named.group(2)), number(named.group(3)), number(mappings.group(3)), r);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
