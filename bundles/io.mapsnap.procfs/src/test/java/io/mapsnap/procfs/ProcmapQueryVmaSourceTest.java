package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;

/** Against real processes (PROCMAP_QUERY needs 6.11+; the host runs 6.18): a sleeping child and gone processes. */
class ProcmapQueryVmaSourceTest {
    private final ProcmapQueryVmaSource source = new ProcmapQueryVmaSource();

    @Test
    void snapshotOfAQuietProcessEqualsItsMapsText() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            // sleep has mapped everything once it blocks; wait until its state says so.
            for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") S "); i++) {
                Thread.sleep(10);
            }
            VmaSnapshot snap = source.snapshot(pid);
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            // [vsyscall] is the gate area, not a VMA of the mm: the ioctl never returns it.
            assertEquals(maps.replaceAll("(?m)^.* \\[vsyscall\\]\n", ""), snap.toProcMaps());
            assertEquals("sleep", snap.comm());
            assertEquals(pid, snap.tgid());
            assertEquals("procmap-query", snap.source());
            assertTrue(snap.vmas().stream().anyMatch(v -> v.path().equals("[stack]")));
            assertTrue(snap.vmas().stream().anyMatch(v -> v.path().equals("[vdso]")));
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void exitedProcessIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        int pid = (int) p.pid();
        ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> source.snapshot(pid));
        assertEquals(pid, e.tgid());
    }

    @Test
    void notAProcessId() {
        assertThrows(VmaCaptureException.class, () -> source.snapshot(0));
    }
}
