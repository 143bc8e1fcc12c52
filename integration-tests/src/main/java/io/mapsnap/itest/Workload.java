package io.mapsnap.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload program from integration-tests/workloads, started for one test: it prints a "ready" line once its
 * memory map is in place and runs until its stdin closes.
 */
final class Workload implements AutoCloseable {
    private final Process process;
    private final String readyLine;

    private Workload(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    static Workload start(String name, String... args) throws IOException {
        String dir = System.getProperty("mapsnap.workloads");
        if (dir == null) {
            throw new IllegalStateException("system property mapsnap.workloads is not set (see itest.bndrun)");
        }
        Path exe = Path.of(dir, name);
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("workload " + exe + " was not built (integration-tests/workloads/build.sh)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready")) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not become ready: " + line);
        }
        return new Workload(p, line);
    }

    int pid() {
        return (int) process.pid();
    }

    /** The workload's "ready ..." line, which may carry addresses the test checks. */
    String readyLine() {
        return readyLine;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
