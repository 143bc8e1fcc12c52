package io.mapsnap.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.mapsnap.symbolizer.ElfSymbolizer;

/**
 * The symbolizer ({@code ElfSymbolizer}, constructed directly as its tests do): time to index a file (a fresh
 * symbolizer resolving one address in it: open, ELF headers, build ID, symbol table sorted into a function table),
 * cold throughput (a fresh symbolizer resolving {@link SymbolizerBenchmark#ADDRESSES} addresses, both files parsed
 * on the way) and cached throughput (JMH, {@link SymbolizerBenchmark}). The cold runs are cold for the symbolizer
 * only: the files are in the page cache and this JVM has run the code before.
 */
final class SymbolizerSuite implements BenchmarkSuite {
    private static final String GROUP = "symbolizer: libc.so.6 (.dynsym) and libjvm.so (.symtab)";

    @Override
    public String title() {
        return "symbolizer";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        SymbolizerWorkload w = new SymbolizerWorkload();
        long[] libc = w.addressesIn(SymbolizerWorkload.LIBC, 1);
        long[] jvm = w.addressesIn(SymbolizerWorkload.LIBJVM, 1);
        long[] mixed = w.mixed(SymbolizerBenchmark.ADDRESSES);
        int n = ctx.settings.symbolizerColdRuns();
        List<long[]> tasks = List.of(libc, jvm, mixed);
        long[][] ns = new long[3][n];
        int[] named = new int[3];
        // One untimed round: class loading and the first compilation of the ELF reader.
        for (long[] t : tasks) {
            SymbolizerWorkload.freshSymbolizer().symbolizeUser(w.snapshot, t);
        }
        for (int run = 0; run < n; run++) {
            for (int i = 0; i < tasks.size(); i++) {
                int k = (i + run) % tasks.size();
                ElfSymbolizer s = SymbolizerWorkload.freshSymbolizer();
                long t0 = System.nanoTime();
                var frames = s.symbolizeUser(w.snapshot, tasks.get(k));
                ns[k][run] = System.nanoTime() - t0;
                named[k] = SymbolizerWorkload.named(frames);
            }
        }
        ctx.add(new Row(GROUP, "index libc.so.6", "fresh symbolizer, one address: open + parse + sort (wall)",
                Spread.of(ns[0], "ns"), null, named[0] == 1 ? "named" : "not named"));
        ctx.add(new Row(GROUP, "index libjvm.so", "fresh symbolizer, one address: open + parse + sort (wall)",
                Spread.of(ns[1], "ns"), null, named[1] == 1 ? "named" : "not named"));
        double[] coldRate = new double[n];
        for (int i = 0; i < n; i++) {
            coldRate[i] = mixed.length / (ns[2][i] / 1e9);
        }
        String namedMixed = String.format(Locale.ROOT, "%d of %d named", named[2], mixed.length);
        ctx.add(new Row(GROUP, "cold", String.format(Locale.ROOT,
                "addresses/s: fresh symbolizer, %d addresses, both files parsed on the way", mixed.length),
                Spread.of(coldRate, "addresses/s"), null, namedMixed));
        Settings s = ctx.settings;
        var options = new OptionsBuilder().include(SymbolizerBenchmark.class.getName()).forks(s.jmhForks())
                .warmupIterations(s.jmhWarmUpIterations()).warmupTime(TimeValue.seconds(1))
                .measurementIterations(s.jmhIterations()).measurementTime(TimeValue.seconds(1))
                .jvmArgs("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g")
                .shouldFailOnError(true).verbosity(VerboseMode.SILENT).build();
        for (RunResult r : new Runner(options).run()) {
            ctx.add(new Row(GROUP, "cached", "addresses/s: both files parsed, same addresses again (JMH)",
                    JmhSuite.spread(r.getPrimaryResult().getStatistics(), "addresses/s"), null, namedMixed));
        }
    }
}
