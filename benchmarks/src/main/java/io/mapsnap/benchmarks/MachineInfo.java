package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The machine a run measured: numbers mean little without it.
 *
 * @param cpu CPU model name from /proc/cpuinfo
 * @param cores online CPUs
 * @param memory MemTotal
 * @param kernel the running kernel's release
 * @param java the JVM's version
 * @param date when the run started (UTC)
 */
record MachineInfo(String cpu, int cores, String memory, String kernel, String java, Instant date) {
    static MachineInfo read() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        return new MachineInfo(cpu, Runtime.getRuntime().availableProcessors(),
                String.format(Locale.ROOT, "%.1f GiB", memKb / 1024.0 / 1024.0), kernel,
                System.getProperty("java.vm.name") + " " + Runtime.version(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The 1-, 5- and 15-minute load averages now: how busy the machine was around the run. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
