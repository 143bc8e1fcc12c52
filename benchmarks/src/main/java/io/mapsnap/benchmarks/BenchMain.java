package io.mapsnap.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./mapsnap bench [--quick]}: runs every benchmark suite, prints one progress line per row as it finishes
 * (stderr), then the table (stdout), and writes docs/benchmarks.md atomically.
 *
 * <p>Options: {@code --quick}; {@code --root DIR} (the mapsnap tree, default the working directory);
 * {@code --output FILE} (default ROOT/docs/benchmarks.md); {@code --only WORD} (only the suites whose title contains
 * WORD, e.g. {@code profiler}: for working on one suite; write such a partial run elsewhere with --output).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** The suites, in the order they run. */
    static List<BenchmarkSuite> suites(Settings settings) {
        return List.of(new SnapshotSuite(), new JmhSuite(), new ColdJvmSuite(), new StartupSuite(),
                new SamplerCostSuite(), new ProfilerOverheadSuite(), new ChurnStormSuite(), new SymbolizerSuite());
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path root = Path.of("").toAbsolutePath();
        Path output = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                case "--output" -> output = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("usage: ./mapsnap bench [--quick] [--output FILE] [--only WORD]");
                    System.exit(2);
                }
            }
        }
        if (output == null) {
            output = root.resolve("docs/benchmarks.md");
        }
        Settings settings = quick ? Settings.quickRun() : Settings.fullRun();
        long start = System.nanoTime();
        MachineInfo machine = MachineInfo.read();
        String loadBefore = MachineInfo.loadAverage();
        BenchContext ctx = new BenchContext(root, root.resolve("benchmarks/target/native"),
                System.getProperty("java.class.path"), settings, BenchMain::progress);
        System.err.printf("bench: %s on %s (%d cores), kernel %s%n", settings.quick() ? "quick run" : "full run",
                machine.cpu(), machine.cores(), machine.kernel());
        // The vm_next walker needs a kernel <= 6.0: ./mapsnap bench --guest 5.10 runs the snapshot suite inside the
        // QEMU guest, under TCG emulation, into a document of its own.
        if (!machine.cpu().startsWith("QEMU")) {
            ctx.note("legacy (the vm_next walker, kernels <= 6.0) is measured inside the 5.10 QEMU guest by "
                    + "`./mapsnap bench --guest 5.10`, into docs/benchmarks-5.10-guest.md: under software emulation "
                    + "(TCG), so its numbers compare only with each other");
        }
        boolean failed = false;
        for (BenchmarkSuite suite : suites(settings)) {
            if (only != null && !suite.title().contains(only)) {
                continue;
            }
            long t0 = System.nanoTime();
            System.err.println("bench: " + suite.title() + " ...");
            try {
                suite.run(ctx);
            } catch (Exception | LinkageError e) {
                failed = true;
                ctx.note(suite.title() + " failed: " + e);
                if (System.getenv("MAPSNAP_DEBUG") != null) {
                    e.printStackTrace();
                }
            }
            System.err.printf(Locale.ROOT, "bench: %s done in %.0f s%n", suite.title(), (System.nanoTime() - t0) / 1e9);
        }
        long elapsed = Math.round((System.nanoTime() - start) / 1e9);
        BenchReport report = new BenchReport(machine, settings, "./mapsnap bench" + (quick ? " --quick" : ""),
                loadBefore, MachineInfo.loadAverage(), elapsed, ctx.rows, ctx.targets, ctx.notes);
        System.out.print(report.table());
        report.writeMarkdown(output);
        System.err.println("bench: wrote " + output + " (" + elapsed + " s)");
        System.exit(failed ? 1 : 0);
    }

    private static void progress(Row r) {
        System.err.printf("bench:   %s | %s | %s: %s%s%n", r.group(), r.name(), r.measures(), Units.median(r.value()),
                r.comparison().isEmpty() ? "" : " (" + r.comparison() + ")");
    }
}
