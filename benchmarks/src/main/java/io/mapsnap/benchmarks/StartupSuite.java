package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Row 5: wall time of {@code ./mapsnap caps} on a built tree (Felix start, every capability probe, the table). */
final class StartupSuite implements BenchmarkSuite {
    @Override
    public String title() {
        return "start-up";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = ctx.settings.startupRuns();
        long[] wall = new long[n];
        // One untimed run first: page cache, and a build if sources changed since the last one.
        for (int i = -1; i < n; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(List.of(ctx.root.resolve("mapsnap").toString(), "caps"))
                    .directory(ctx.root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // Its stderr is small (a failure's words): read it whole, then wait.
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IOException("./mapsnap caps exited " + p.exitValue() + (stderr.isEmpty() ? ""
                        : ": " + String.join(" | ", stderr.lines().skip(Math.max(0, stderr.lines().count() - 3))
                                .toList())));
            }
            if (i >= 0) {
                wall[i] = System.nanoTime() - t0;
            }
        }
        ctx.add(new Row("start-up", "./mapsnap caps", "wall, script + JVM + Felix + all probes + output",
                Spread.of(wall, "ns"), null, ""));
    }
}
