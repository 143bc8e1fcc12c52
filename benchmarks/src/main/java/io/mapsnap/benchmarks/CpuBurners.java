package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every CPU busy while the profiler rows measure: one {@code short_lived} chain per CPU
 * (integration-tests/workloads/short_lived.c), each running children one after another that burn CPU in their own
 * functions for 100 ms and exit. Samples then occur on every tick of every CPU (an idle CPU gives the sampling
 * program only its cheap idle path), and processes come and go the way the collector is built for: each child is
 * walked at its first system call and as it exits.
 */
final class CpuBurners implements AutoCloseable {
    static final int CHILD_MS = 100;
    private final List<Process> chains = new ArrayList<>();

    private CpuBurners() {
    }

    static CpuBurners onEveryCpu(Path nativeDir) throws IOException {
        return onEveryCpu(nativeDir, CHILD_MS);
    }

    /** One chain per CPU whose children each burn {@code childMs}: a process rate of about CPUs × 1000 / childMs. */
    static CpuBurners onEveryCpu(Path nativeDir, int childMs) throws IOException {
        CpuBurners b = new CpuBurners();
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            for (int i = 0; i < cpus; i++) {
                b.chains.add(new ProcessBuilder(List.of(nativeDir.resolve("short_lived").toString(), "100000000",
                        Integer.toString(childMs))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    int count() {
        return chains.size();
    }

    /** Kills the chains; a child already running finishes its 100 ms and exits on its own. */
    @Override
    public void close() {
        for (Process p : chains) {
            p.destroyForcibly();
        }
        for (Process p : chains) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
