package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;

/** Against real processes (PROCMAP_QUERY needs 6.11+; the host runs 6.18): a sleeping child and gone processes. */
class ProcmapQueryVmaSourceTest {
    private final ProcmapQueryVmaSource source = new ProcmapQueryVmaSource();

    @Test
    void snapshotOfAQuietProcessEqualsItsMapsText() throws Exception {
        try (SleepingProcess sleeper = SleepingProcess.start()) {
            int pid = sleeper.pid();
            VmaSnapshot snap = source.snapshot(pid);
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            // [vsyscall] is the gate area, not a VMA of the mm: the ioctl never returns it.
            assertEquals(maps.replaceAll("(?m)^.* \\[vsyscall\\]\n", ""), snap.toProcMaps());
            assertEquals("sleep", snap.comm());
            assertEquals(pid, snap.tgid());
            assertEquals("procmap-query", snap.source());
            assertTrue(snap.vmas().stream().anyMatch(v -> v.path().equals("[stack]")));
            assertTrue(snap.vmas().stream().anyMatch(v -> v.path().equals("[vdso]")));
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
