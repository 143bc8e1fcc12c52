package io.mapsnap.bpfiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaSnapshot;

/**
 * The iter/task_vma walker on the host kernel (5.12+; root), against the kernel's own view, the selftests' way:
 * a sleeping child's snapshot equals /proc/PID/maps except [vsyscall], which is not a VMA of the mm.
 */
class BpfIterVmaSourceTest {
    private Process sleeper;
    private int pid;

    @BeforeEach
    void startSleeper() throws Exception {
        sleeper = new ProcessBuilder("sleep", "30").start();
        pid = (int) sleeper.pid();
        // sleep has mapped everything once it blocks; wait until its state says so.
        for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") S "); i++) {
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stopSleeper() throws Exception {
        sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void snapshotEqualsProcMapsAndRepeats() throws Exception {
        BpfIterVmaSource source = new BpfIterVmaSource(maxVmas(65536));
        try {
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            VmaSnapshot first = source.snapshot(pid);
            // A second read is a new iterator session: it must open its own header and close its own trailer.
            VmaSnapshot second = source.snapshot(pid);
            assertEquals(maps.replaceAll("(?m)^.* \\[vsyscall\\]\n", ""), first.toProcMaps());
            assertEquals(first.vmas(), second.vmas());
            assertFalse(first.truncated());
            assertEquals("sleep", first.comm());
            assertEquals("bpf-iter", first.source());
        } finally {
            source.deactivate();
        }
    }

    @Test
    void walkStopsAtMaxVmasAndSaysSo() throws Exception {
        BpfIterVmaSource source = new BpfIterVmaSource(maxVmas(5));
        try {
            VmaSnapshot snap = source.snapshot(pid);
            assertTrue(snap.truncated());
            List<String> firstFive = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).subList(0, 5);
            assertEquals(firstFive, snap.toProcMaps().lines().toList());
        } finally {
            source.deactivate();
        }
    }

    @Test
    void exitedProcessIsGone() throws Exception {
        BpfIterVmaSource source = new BpfIterVmaSource(maxVmas(65536));
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> source.snapshot((int) p.pid()));
            assertEquals(p.pid(), e.tgid());
        } finally {
            source.deactivate();
        }
    }

    private static BpfIterVmaSourceConfig maxVmas(int max) {
        return new BpfIterVmaSourceConfig() {
            @Override
            public int maxVmas() {
                return max;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return BpfIterVmaSourceConfig.class;
            }
        };
    }
}
