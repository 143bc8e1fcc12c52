package io.mapsnap.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mapsnap.bpfiter.BpfIterVmaSource;
import io.mapsnap.iter.KfuncVmaSource;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.IterVmaSource;
import io.mapsnap.kernel.vma.IterVmaWalker;
import io.mapsnap.legacy.LegacyVmaSource;
import io.mapsnap.procfs.ProcfsVmaSource;
import io.mapsnap.procfs.ProcmapQueryVmaSource;

/**
 * Rows 1 and 2: a full memory-map snapshot of one process by every source the host supports, and by the native
 * floors, for a small process (a sleeping {@code sleep}) and a large one (many_vmas). All methods run in the same
 * rounds, each round in a rotated order, so that load from elsewhere on the machine falls on all of them alike.
 */
final class SnapshotSuite implements BenchmarkSuite {
    static final int LARGE_VMAS = 3000;
    private static final int MAX_VMAS = 65536; // the walkers' default bound (their config types)
    private static final String PROCFS = "procfs";
    private static final String KFUNC = "kfunc";
    private static final String FLOOR_ITER = "floor: kfunc iterator, count only (C loader)";
    private static final String FLOOR_MAPS = "floor: /proc/PID/maps read+parse (C)";
    private static final String FLOOR_QUERY = "floor: PROCMAP_QUERY enumeration (C)";
    private static final String IN_KERNEL = "in-kernel run time (BPF stats)";

    /** Samples of one method on one process. */
    private static final class Samples {
        final List<Long> kernel = new ArrayList<>();
        final List<Long> wall = new ArrayList<>();
        int vmas;

        void add(NativeFloor.Runs runs) {
            if (runs.kernelNs() != null) {
                for (long k : runs.kernelNs()) {
                    kernel.add(k);
                }
            }
            for (long w : runs.wallNs()) {
                wall.add(w);
            }
            vmas = runs.vmas();
        }

        static Spread spread(List<Long> values) {
            return values.isEmpty() ? null : Spread.of(values.stream().mapToLong(Long::longValue).toArray(), "ns");
        }
    }

    @Override
    public String title() {
        return "map snapshots";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        List<SnapshotMethod> methods = new ArrayList<>();
        // Run-time statistics on for the whole suite: the kernel then times every program run (two clock reads).
        try (BpfStats stats = BpfStats.enableRunTime();
                TargetProcess small = TargetProcess.sleeper();
                TargetProcess large = TargetProcess.manyVmas(ctx.nativeDir.resolve("many_vmas"), LARGE_VMAS);
                NativeFloor floors = new NativeFloor(ctx.nativeDir)) {
            addSupported(ctx, methods, small.pid(), floors);
            List<TargetProcess> targets = List.of(small, large);
            Map<String, Map<TargetProcess, Samples>> samples = new LinkedHashMap<>();
            for (SnapshotMethod m : methods) {
                Map<TargetProcess, Samples> perTarget = new LinkedHashMap<>();
                for (TargetProcess t : targets) {
                    m.run(t.pid(), ctx.settings.snapshotWarmUp());
                    perTarget.put(t, new Samples());
                }
                samples.put(m.name(), perTarget);
            }
            Settings s = ctx.settings;
            for (int round = 0; round < s.snapshotRounds(); round++) {
                for (int i = 0; i < methods.size(); i++) {
                    SnapshotMethod m = methods.get((i + round) % methods.size());
                    for (TargetProcess t : targets) {
                        samples.get(m.name()).get(t).add(m.run(t.pid(), s.snapshotBatch()));
                    }
                }
            }
            for (TargetProcess t : targets) {
                report(ctx, methods, samples, t);
            }
            judge(ctx, samples, small, large);
        } finally {
            for (SnapshotMethod m : methods) {
                m.close();
            }
        }
    }

    /** Every source that loads and takes a snapshot here; the others become notes with the reason. */
    private static void addSupported(BenchContext ctx, List<SnapshotMethod> methods, int probePid, NativeFloor floors) {
        tryAdd(ctx, methods, probePid, KFUNC, () -> JavaSourceMethod.walker(KFUNC,
                walker(KFUNC, KfuncVmaSource.variants()), true));
        tryAdd(ctx, methods, probePid, "legacy", () -> JavaSourceMethod.walker("legacy",
                walker("legacy", LegacyVmaSource.variants()), true));
        // iter/task_vma runs its program once per VMA: the program's run time leaves out the kernel's iteration
        // between calls, so only its wall time is comparable.
        tryAdd(ctx, methods, probePid, "bpf-iter", () -> JavaSourceMethod.walker("bpf-iter",
                walker("bpf-iter", BpfIterVmaSource.variants()), false));
        tryAdd(ctx, methods, probePid, "procmap-query", () -> JavaSourceMethod.procSource("procmap-query",
                "wall, Java: ioctl per VMA to records", new ProcmapQueryVmaSource()::snapshot));
        tryAdd(ctx, methods, probePid, PROCFS, () -> JavaSourceMethod.procSource(PROCFS,
                "wall, Java: read + parse text to records", new ProcfsVmaSource()::snapshot));
        tryAdd(ctx, methods, probePid, FLOOR_ITER, () -> new NativeFloorMethod(FLOOR_ITER,
                "wall, attach + read + detach", floors, NativeFloor.Kind.ITER));
        tryAdd(ctx, methods, probePid, FLOOR_MAPS, () -> new NativeFloorMethod(FLOOR_MAPS, "wall", floors,
                NativeFloor.Kind.MAPS));
        tryAdd(ctx, methods, probePid, FLOOR_QUERY, () -> new NativeFloorMethod(FLOOR_QUERY, "wall", floors,
                NativeFloor.Kind.QUERY));
    }

    /** The source's walker as its component would choose it: the first variant that loads and walks here. */
    private static IterVmaWalker walker(String name, List<ProgramVariant> variants) {
        VariantSelection<IterVmaSource> s = IterVmaSource.select(name, MAX_VMAS, variants);
        return s.chosen().map(IterVmaSource::walker).orElseThrow(() -> new IllegalStateException(name
                + " cannot run here: " + s.verdicts().stream().map(v -> v.variant() + ": " + v.summary()).toList()));
    }

    private interface MethodFactory {
        SnapshotMethod create() throws Exception;
    }

    private static void tryAdd(BenchContext ctx, List<SnapshotMethod> methods, int probePid, String name,
            MethodFactory factory) {
        SnapshotMethod m = null;
        try {
            m = factory.create();
            m.run(probePid, 1);
            methods.add(m);
        } catch (Exception | LinkageError e) {
            if (m != null) {
                m.close();
            }
            ctx.note(name + " is not measured: not supported on this host (" + firstLine(e) + ")");
        }
    }

    private static String firstLine(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        msg = msg.lines().findFirst().orElse(msg);
        return msg.length() > 200 ? msg.substring(0, 200) + "…" : msg;
    }

    private static void report(BenchContext ctx, List<SnapshotMethod> methods,
            Map<String, Map<TargetProcess, Samples>> samples, TargetProcess t) throws IOException {
        Samples procfs = samples.containsKey(PROCFS) ? samples.get(PROCFS).get(t) : null;
        int vmas = procfs != null ? procfs.vmas : t.procMapsLines();
        String group = String.format(Locale.ROOT, "map snapshot, %s (%,d VMAs)", t.label(), vmas);
        double procfsMedian = procfs == null ? Double.NaN : Samples.spread(procfs.wall).median();
        for (SnapshotMethod m : methods) {
            if (m instanceof JavaSourceMethod j && j.truncatedAt() >= 0 && t.procMapsLines() > j.truncatedAt()) {
                ctx.note(m.name() + " on " + t.label() + ": every walk stopped at " + j.truncatedAt()
                        + " VMAs (the walk's bound on this kernel, flagged truncated), so its row times a "
                        + j.truncatedAt() + "-VMA walk and its per-VMA figure is per walked VMA");
            }
            Samples s = samples.get(m.name()).get(t);
            Spread kernel = Samples.spread(s.kernel);
            Spread wall = Samples.spread(s.wall);
            String floorName = floorOf(m.name());
            Samples floor = floorName == null || !samples.containsKey(floorName) ? null : samples.get(floorName).get(t);
            if (kernel != null) {
                String cmp = compare(kernel.median(), procfsMedian, floor == null ? null : Samples.spread(floor.kernel));
                ctx.add(new Row(group, m.name(), IN_KERNEL, kernel, kernel.dividedBy(s.vmas, "ns"), cmp));
            }
            String cmp = compare(wall.median(), m.name().equals(PROCFS) ? Double.NaN : procfsMedian,
                    floor == null ? null : Samples.spread(floor.wall));
            ctx.add(new Row(group, m.name(), m.wallMeasures(), wall, wall.dividedBy(s.vmas, "ns"), cmp));
        }
    }

    /** The native floor a toolkit method is compared with. */
    private static String floorOf(String method) {
        return switch (method) {
            case KFUNC, "bpf-iter", "legacy" -> FLOOR_ITER;
            case "procmap-query" -> FLOOR_QUERY;
            case PROCFS -> FLOOR_MAPS;
            default -> null;
        };
    }

    private static String compare(double median, double procfsMedian, Spread floor) {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(procfsMedian)) {
            parts.add(Units.ratio(median / procfsMedian) + " procfs");
        }
        if (floor != null) {
            parts.add(Units.ratio(median / floor.median()) + " its floor");
        }
        return String.join("; ", parts);
    }

    private static void judge(BenchContext ctx, Map<String, Map<TargetProcess, Samples>> samples, TargetProcess small,
            TargetProcess large) {
        if (!samples.containsKey(KFUNC)) {
            ctx.targets.add(new Target("kfunc snapshot within 1.3× of the raw iterator floor", "not measured",
                    false, "the kfunc walker does not run on this host"));
            return;
        }
        Samples kLarge = samples.get(KFUNC).get(large);
        Samples kSmall = samples.get(KFUNC).get(small);
        if (samples.containsKey(FLOOR_ITER)) {
            Samples fLarge = samples.get(FLOOR_ITER).get(large);
            Samples fSmall = samples.get(FLOOR_ITER).get(small);
            double kernelLarge = Samples.spread(kLarge.kernel).median();
            double floorLarge = Samples.spread(fLarge.kernel).median();
            double ratio = kernelLarge / floorLarge;
            double ratioSmall = Samples.spread(kSmall.kernel).median() / Samples.spread(fSmall.kernel).median();
            double extraPerVma = (kernelLarge - floorLarge) / kLarge.vmas;
            ctx.targets.add(new Target("kfunc snapshot (in-kernel) within 1.3× of the raw iterator floor",
                    String.format(Locale.ROOT, "%s large, %s small", Units.ratio(ratio), Units.ratio(ratioSmall)),
                    ratio <= 1.3,
                    String.format(Locale.ROOT, "the walker does per VMA what the floor does not: CO-RE reads of "
                            + "the file, inode and device, the special-mapping check, bpf_d_path for file-backed "
                            + "VMAs and one bpf_ringbuf_output of a 64-byte-plus-name record; that costs %s per "
                            + "VMA here, against %s per VMA for the iterator itself", Units.duration(extraPerVma),
                            Units.duration(floorLarge / fLarge.vmas))));
        }
        if (samples.containsKey(PROCFS)) {
            double e2eLarge = Samples.spread(kLarge.wall).median();
            double e2eSmall = Samples.spread(kSmall.wall).median();
            double procfsLarge = Samples.spread(samples.get(PROCFS).get(large).wall).median();
            double inKernel = Samples.spread(kLarge.kernel).median();
            double perVma = (e2eLarge - e2eSmall) / (kLarge.vmas - kSmall.vmas);
            ctx.targets.add(new Target("kfunc snapshot ≥1.5× cheaper than procfs text (large process)",
                    String.format(Locale.ROOT, "procfs ÷ kfunc = %s end-to-end; %s for the in-kernel part alone",
                            Units.ratio(procfsLarge / e2eLarge), Units.ratio(procfsLarge / inKernel)),
                    procfsLarge / e2eLarge >= 1.5,
                    String.format(Locale.ROOT, "end to end, a snapshot costs a fixed ~%s (the small process: "
                            + "attach an iterator link, read it, read the ring the walker keeps mapped, detach) "
                            + "plus ~%s per VMA of which %s is in the kernel; the rest is decoding each record "
                            + "from the ring into a Vma record",
                            Units.duration(e2eSmall), Units.duration(perVma),
                            Units.duration(inKernel / kLarge.vmas))));
        }
    }
}
