package io.mapsnap.procfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A {@code sleep} child whose memory map is complete and quiet: it has blocked in its sleep. */
final class SleepingProcess implements AutoCloseable {
    private final Process process;

    private SleepingProcess(Process process) {
        this.process = process;
    }

    static SleepingProcess start() throws Exception {
        SleepingProcess p = new SleepingProcess(new ProcessBuilder("sleep", "30").start());
        // sleep has mapped everything once it blocks; wait until its state says so.
        Path stat = Path.of("/proc/" + p.pid() + "/stat");
        for (int i = 0; i < 100 && !Files.readString(stat).contains(") S "); i++) {
            Thread.sleep(10);
        }
        return p;
    }

    int pid() {
        return (int) process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
