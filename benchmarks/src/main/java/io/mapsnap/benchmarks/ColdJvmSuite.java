package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Row 4 (cold): one BTF parse in each of several fresh JVMs, run one after another. */
final class ColdJvmSuite implements BenchmarkSuite {
    @Override
    public String title() {
        return "BTF cold JVM";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = ctx.settings.coldJvmRuns();
        long[] parse = new long[n];
        long[] wall = new long[n];
        int types = 0;
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(List.of(javaBin, "-cp", ctx.classPath, BtfColdParse.class.getName()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException("BtfColdParse exited " + p.exitValue() + ": " + out);
            }
            wall[i] = System.nanoTime() - t0;
            String[] f = out.split(" ");
            parse[i] = Long.parseLong(f[0]);
            types = Integer.parseInt(f[1]);
        }
        String group = String.format(java.util.Locale.ROOT, "BTF /sys/kernel/btf/vmlinux (%,d types)", types);
        ctx.add(new Row(group, "read + parse, cold", "first parse in a fresh JVM (in-process time)",
                Spread.of(parse, "ns"), null, ""));
        ctx.add(new Row(group, "fresh JVM + one parse", "wall of the whole java process", Spread.of(wall, "ns"),
                null, ""));
    }
}
