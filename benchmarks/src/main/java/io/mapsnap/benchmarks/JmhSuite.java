package io.mapsnap.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Rows 3 and 4 (warm): the Java-side micro-benchmarks, run by JMH in forked JVMs. The spread is over JMH's
 * measured iterations (all forks).
 */
final class JmhSuite implements BenchmarkSuite {
    private static final double RING_TARGET = 1_000_000;
    private static final double BTF_TARGET_MS = 300;

    @Override
    public String title() {
        return "JMH: ring buffer decode, BTF warm";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Settings s = ctx.settings;
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(RingBufferDecodeBenchmark.class.getName())
                .include(BtfParseBenchmark.class.getName())
                .forks(s.jmhForks())
                .warmupIterations(s.jmhWarmUpIterations())
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(s.jmhIterations())
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xms512m",
                        "-Xmx2g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            Statistics st = r.getPrimaryResult().getStatistics();
            if (benchmark.endsWith("consumeAndDecode")) {
                String mode = r.getParams().getParam("mode");
                Spread rate = spread(st, "records/s");
                ctx.add(new Row("ring buffer → Java records", mode.toLowerCase(Locale.ROOT) + " path",
                        "records/s consumed and decoded from the ring into Vma records (JMH)", rate, null, ""));
                ctx.targets.add(new Target("ring buffer ≥ 1 M records/s decoded (" + mode.toLowerCase(Locale.ROOT)
                        + " path)", Units.median(rate), rate.median() >= RING_TARGET,
                        mode.equals("LIBBPF") ? "one FFM upcall per record from libbpf's C loop" : ""));
            } else if (benchmark.endsWith("readAndParse") || benchmark.endsWith("parseOnly")) {
                boolean read = benchmark.endsWith("readAndParse");
                Spread ms = spread(st, "ms");
                ctx.add(new Row("BTF /sys/kernel/btf/vmlinux", read ? "read + parse, warm" : "parse only, warm",
                        (read ? "file read and parse" : "parse of bytes in memory") + ", warm JVM (JMH)", ms, null,
                        ""));
                if (read) {
                    ctx.targets.add(new Target("BTF read + parse ≤ 300 ms warm", Units.median(ms),
                            ms.median() <= BTF_TARGET_MS, "the whole-blob validation pass and name index"));
                }
            }
        }
    }

    static Spread spread(Statistics st, String unit) {
        double[] values = new double[(int) st.getN()];
        // Statistics keeps the iteration scores; rebuild the spread the way the other rows compute it.
        int i = 0;
        for (var it = st.getRawData(); it.hasNext() && i < values.length;) {
            var e = it.next();
            for (int c = 0; c < e.getValue() && i < values.length; c++) {
                values[i++] = e.getKey();
            }
        }
        return Spread.of(i == values.length ? values : List.of(st.getMin(), st.getPercentile(50), st.getMax())
                .stream().mapToDouble(Double::doubleValue).toArray(), unit);
    }
}
