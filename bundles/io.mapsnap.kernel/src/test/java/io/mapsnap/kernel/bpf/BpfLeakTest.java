package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Open/load/close cycles of probe_minimal must not grow the resident set (native leaks do not show in the heap). */
class BpfLeakTest {
    private static final int WARM_UP = 200;
    private static final int CYCLES = 10_000;
    private static final long BOUND_KB = 20 * 1024;

    @Test
    void tenThousandOpenLoadCloseCyclesKeepRssFlat() throws Exception {
        byte[] elf = TestObjects.elf("probe_minimal");
        for (int i = 0; i < WARM_UP; i++) {
            cycle(elf, i);
        }
        System.gc();
        long before = rssKb();
        long fdsBefore = openFds();
        // The time is printed, never judged: how fast a cycle is belongs to ./mapsnap bench.
        long t0 = System.nanoTime();
        int done = 0;
        while (done < CYCLES) {
            cycle(elf, done);
            done++;
        }
        long elapsed = System.nanoTime() - t0;
        System.gc();
        long after = rssKb();
        long fdsAfter = openFds();
        System.out.printf("leak test: %d cycles in %.1f s (%.0f us/cycle), VmRSS before=%d kB after=%d kB (%+d kB),"
                + " fds %d -> %d%n", done, elapsed / 1e9, elapsed / 1e3 / done, before, after, after - before,
                fdsBefore, fdsAfter);
        assertTrue(after - before < BOUND_KB, "RSS grew by " + (after - before) + " kB");
        assertTrue(fdsAfter - fdsBefore < 5, "fds leaked: " + fdsBefore + " -> " + fdsAfter);
    }

    private static void cycle(byte[] elf, int i) throws BpfException {
        try (BpfObject obj = BpfObject.open("probe_minimal", elf)) {
            obj.load();
            if (i % 10 == 0) {
                obj.program("probe_minimal").attach(); // closed by the object
            }
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
