package io.mapsnap.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A process whose memory map is measured: started for the benchmark, ended with it. */
final class TargetProcess implements AutoCloseable {
    private final Process process;
    private final String label;

    private TargetProcess(Process process, String label) {
        this.process = process;
        this.label = label;
    }

    /** A sleeping coreutils {@code sleep}: a small, ordinary map (~40 VMAs). */
    static TargetProcess sleeper() throws IOException {
        Process p = new ProcessBuilder("sleep", "100000").redirectErrorStream(true).start();
        return new TargetProcess(p, "sleep");
    }

    /** integration-tests/workloads/many_vmas.c with {@code count} alternating-protection pages. */
    static TargetProcess manyVmas(Path executable, int count) throws IOException {
        Process p = new ProcessBuilder(List.of(executable.toString(), Integer.toString(count)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // It prints "ready ADDRESS COUNT" once every mprotect is done, then waits for stdin to close.
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException(executable + " did not get ready: " + line);
        }
        return new TargetProcess(p, "many_vmas " + count);
    }

    int pid() {
        return (int) process.pid();
    }

    String label() {
        return label;
    }

    /** VMAs /proc shows for it now (with [vsyscall], which no BPF walker reports). */
    int procMapsLines() throws IOException {
        try (var lines = java.nio.file.Files.lines(Path.of("/proc/" + pid() + "/maps"))) {
            return (int) lines.count();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
