package io.mapsnap.symbolizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.procfs.ProcfsVmaSource;

/**
 * A test program run with --serve: it has printed the addresses of main and getpid and mapped everything it
 * will; it exits when its stdin closes or it is killed.
 */
final class ServingProcess implements AutoCloseable {
    private final Process process;
    private final Map<String, Long> printed;

    private ServingProcess(Process process, Map<String, Long> printed) {
        this.process = process;
        this.printed = printed;
    }

    static ServingProcess start(Path program) throws Exception {
        Process p = new ProcessBuilder(program.toString(), "--serve").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Map<String, Long> printed = new HashMap<>();
        for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
            String[] f = line.split(" ");
            printed.put(f[0], Long.parseUnsignedLong(f[1].substring(2), 16));
        }
        if (!printed.containsKey("main")) {
            p.destroyForcibly();
            throw new IllegalStateException(program + " --serve printed no addresses");
        }
        return new ServingProcess(p, printed);
    }

    int pid() {
        return (int) process.pid();
    }

    /** The run-time address the program printed for {@code name} (main or getpid). */
    long address(String name) {
        return printed.get(name);
    }

    /** Its memory map now, read by the real /proc/PID/maps source. */
    VmaSnapshot snapshot() throws Exception {
        return new ProcfsVmaSource().snapshot(pid());
    }

    /** Kills it and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
