package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mapsnap.kernel.bpf.BpfStats;

/**
 * The profiler's overhead on a busy machine: {@code profile --all} of the feature jar at 99 Hz and 999 Hz, with
 * the JVM's defaults and with the options ./mapsnap gives it, every CPU busy with short_lived (see {@link ProfilerProcess} for what is
 * read and when). The configurations run in the same rounds, each round in a rotated order.
 */
final class ProfilerOverheadSuite implements BenchmarkSuite {
    static final double TARGET_CORE_PERCENT = 1.0;
    static final double TARGET_RSS_MB = 100;
    private static final String SCRIPT_OPTIONS = "feature_jvm_opts=(";

    private record Config(int frequencyHz, List<String> jvmFlags) {
        String label() {
            return frequencyHz + " Hz, " + (jvmFlags.isEmpty() ? "JVM defaults" : String.join(" ", jvmFlags));
        }
    }

    /** The JVM options ./mapsnap gives the feature jars ({@code feature_jvm_opts} in the script). */
    static List<String> scriptOptions(Path root) throws IOException {
        for (String line : Files.readAllLines(root.resolve("mapsnap"))) {
            if (line.startsWith(SCRIPT_OPTIONS) && line.endsWith(")")) {
                String inner = line.substring(SCRIPT_OPTIONS.length(), line.length() - 1).strip();
                return inner.isEmpty() ? List.of() : List.of(inner.split("\\s+"));
            }
        }
        throw new IOException("./mapsnap has no line " + SCRIPT_OPTIONS + "...)");
    }

    /** Mean JVM and BPF shares (% of one core) over all intervals of these runs. */
    private static double[] split(List<ProfilerProcess.Result> runs) {
        List<ProfilerProcess.Interval> iv = runs.stream().flatMap(r -> r.intervals().stream()).toList();
        double wall = iv.stream().mapToLong(ProfilerProcess.Interval::wallNs).sum();
        return new double[] { 100 * iv.stream().mapToLong(ProfilerProcess.Interval::jvmNs).sum() / wall,
                100 * iv.stream().mapToLong(ProfilerProcess.Interval::bpfNs).sum() / wall };
    }

    @Override
    public String title() {
        return "profiler: overhead and peak RSS";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        List<String> script = scriptOptions(ctx.root);
        List<Config> configs = List.of(new Config(99, List.of()), new Config(99, script), new Config(999, List.of()),
                new Config(999, script));
        Map<Config, List<ProfilerProcess.Result>> results = new LinkedHashMap<>();
        configs.forEach(c -> results.put(c, new ArrayList<>()));
        int cpus;
        try (BpfStats stats = BpfStats.enableRunTime(); CpuBurners burners = CpuBurners.onEveryCpu(ctx.nativeDir)) {
            cpus = burners.count();
            for (int run = 0; run < ctx.settings.overheadRuns(); run++) {
                for (int i = 0; i < configs.size(); i++) {
                    Config c = configs.get((i + run) % configs.size());
                    System.err.println("bench:   profile --all at " + c.label() + " ...");
                    results.get(c).add(ProfilerProcess.run(ctx, c.frequencyHz(), c.jvmFlags(),
                            ctx.settings.overheadWindowSeconds()));
                }
            }
        }
        String group = String.format(Locale.ROOT, "profiler overhead, profile --all, %d CPUs busy (short_lived)",
                cpus);
        Map<Config, Spread> share = new LinkedHashMap<>();
        Map<Config, Spread> rss = new LinkedHashMap<>();
        for (Config c : configs) {
            List<ProfilerProcess.Interval> iv = results.get(c).stream().flatMap(r -> r.intervals().stream())
                    .toList();
            Spread total = Spread.of(iv.stream().mapToDouble(ProfilerProcess.Interval::corePercent).toArray(),
                    "% of one core");
            double wall = iv.stream().mapToLong(ProfilerProcess.Interval::wallNs).sum();
            double jvm = 100 * iv.stream().mapToLong(ProfilerProcess.Interval::jvmNs).sum() / wall;
            double bpf = 100 * iv.stream().mapToLong(ProfilerProcess.Interval::bpfNs).sum() / wall;
            double samples = iv.stream().mapToLong(ProfilerProcess.Interval::samples).sum() / (wall / 1e9);
            // The second half of each run's window: how much of the share is the JVM warming up.
            double lateShare = results.get(c).stream().mapToDouble(r -> ProfilerProcess.Interval.corePercent(
                    r.intervals().subList(r.intervals().size() / 2, r.intervals().size()))).average()
                    .orElse(Double.NaN);
            share.put(c, total);
            ctx.add(new Row(group, c.label(), "CPU: profiler JVM + its BPF programs, % of one core (1-s intervals)",
                    total, null, String.format(Locale.ROOT,
                            "mean: JVM %.2f %%, BPF %.2f %%; second half of the window %.2f %%; %.0f samples/s; "
                                    + "collector %s", jvm, bpf, lateShare, samples, String.join(", ",
                                            results.get(c).stream().map(ProfilerProcess.Result::collector)
                                                    .distinct().toList()))));
            Spread peak = Spread.of(results.get(c).stream().mapToDouble(r -> r.peakRssKb() / 1024.0).toArray(),
                    "MB");
            rss.put(c, peak);
            ctx.add(new Row(group, c.label(), "peak RSS of the profiler JVM (VmHWM), per run", peak, null, ""));
            ctx.add(new Row(group, c.label(), "until sampling starts: JVM, Felix, probes, loading (wall)",
                    Spread.of(results.get(c).stream().mapToLong(ProfilerProcess.Result::startupWallNs).toArray(),
                            "ns"), null, "CPU " + Units.duration(results.get(c).stream()
                                    .mapToLong(ProfilerProcess.Result::startupCpuNs).sorted()
                                    .skip((results.get(c).size() - 1) / 2).findFirst().orElse(0))));
        }
        for (int hz : new int[] { 99, 999 }) {
            List<ProfilerProcess.Result> all = configs.stream().filter(c -> c.frequencyHz() == hz)
                    .flatMap(c -> results.get(c).stream()).toList();
            Spread perSample = Spread.of(all.stream().flatMap(r -> r.intervals().stream())
                    .filter(i -> i.samples() > 0).mapToDouble(i -> (double) i.bpfNs() / i.samples()).toArray(), "ns");
            Map<String, long[]> programs = new LinkedHashMap<>();
            for (ProfilerProcess.Result r : all) {
                r.programs().forEach((name, v) -> {
                    long[] t = programs.computeIfAbsent(name, k -> new long[2]);
                    t[0] += v[0];
                    t[1] += v[1];
                });
            }
            List<String> parts = new ArrayList<>();
            programs.forEach((name, v) -> {
                if (v[1] > 0) {
                    parts.add(String.format(Locale.ROOT, "%s %s/call × %,d", name, Units.duration((double) v[0] / v[1]),
                            v[1]));
                }
            });
            ctx.add(new Row(group, hz + " Hz, both JVM option sets", "BPF run time per sample: all the profiler's programs ÷ "
                    + "samples (1-s intervals)", perSample, null, String.join("; ", parts)));
        }
        Config def99 = configs.get(0);
        Config script99 = configs.get(1);
        double[] split = split(results.get(script99));
        ctx.targets.add(new Target("profiler ≤1 % of one core at 99 Hz (JVM + BPF, busy machine)",
                String.format(Locale.ROOT, "%s with ./mapsnap's options; %s with the JVM's defaults",
                        Units.median(share.get(script99)), Units.median(share.get(def99))),
                share.get(script99).median() <= TARGET_CORE_PERCENT,
                String.format(Locale.ROOT, "mostly the JVM: %.2f %% of a core against %.2f %% for all its BPF "
                        + "programs (the collector's walks of about 20 new processes a second, see the per-sample "
                        + "rows). perf on the JVM's threads puts about half of the JVM's share in the collector's "
                        + "drain thread: decoding each walk and, per new process, a stat and an open through "
                        + "/proc/PID/map_files of each executable mapping, kept for symbolization; then the two "
                        + "sample-reading threads. The first seconds of sampling, JIT still compiling, are in the "
                        + "window", split[0], split[1])));
        for (Config c : List.of(script99, def99)) {
            ctx.targets.add(new Target("profiler JVM peak RSS ≤100 MB (" + c.label() + ")",
                    Units.median(rss.get(c)) + " (max " + Units.value(rss.get(c).high(), "MB") + ")",
                    rss.get(c).high() <= TARGET_RSS_MB,
                    c.jvmFlags().isEmpty() ? "the JVM's defaults: G1 with a heap sized from the machine's RAM, "
                            + "grown before it is collected; the live set is far smaller (the other row)"
                            : "by smaps and Native Memory Tracking: the committed Java heap (about 20 MB), "
                                    + "libjvm.so and the CDS archive (about 30 MB of file pages), class metadata, "
                                    + "code cache and thread stacks (about 15 MB), and the mapped rings (each "
                                    + "resident at twice its size: 256 KiB of samples at this rate, 512 KiB of "
                                    + "in-sample mappings, the collector's 2 MiB)"));
        }
    }
}
