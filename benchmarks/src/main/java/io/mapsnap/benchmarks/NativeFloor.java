package io.mapsnap.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The native reference walkers (benchmarks/native/vma_floor.c) as a coprocess, so that their runs interleave with
 * the Java sources' runs in the same rounds instead of being measured at another time under another load.
 */
final class NativeFloor implements AutoCloseable {
    /** The floors the coprocess offers, by its command word. */
    enum Kind {
        ITER("iter"), MAPS("maps"), QUERY("query");

        final String command;

        Kind(String command) {
            this.command = command;
        }
    }

    /**
     * One command's answer.
     *
     * @param vmas VMAs the last run counted
     * @param kernelNs per-run in-kernel time (BPF run-time statistics), or null where not measured
     * @param wallNs per-run wall time
     */
    record Runs(int vmas, long[] kernelNs, long[] wallNs) {
    }

    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    NativeFloor(Path nativeDir) throws IOException {
        process = new ProcessBuilder(List.of(nativeDir.resolve("vma_floor").toString(),
                nativeDir.resolve("vma_floor.bpf.o").toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** {@code count} runs of {@code kind} on process {@code pid}. */
    Runs run(Kind kind, int pid, int count) throws IOException {
        in.println(kind.command + " " + pid + " " + count);
        String line = out.readLine();
        if (line == null) {
            throw new IOException("vma_floor exited");
        }
        if (!line.startsWith("ok ")) {
            throw new IOException("vma_floor " + kind.command + ": " + line.replaceFirst("^err ", ""));
        }
        String[] f = line.split(" ");
        return new Runs(Integer.parseInt(f[1]), samples(f[2]), samples(f[3]));
    }

    private static long[] samples(String field) {
        return field.equals("-") ? null : Arrays.stream(field.split(",")).mapToLong(Long::parseLong).toArray();
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
