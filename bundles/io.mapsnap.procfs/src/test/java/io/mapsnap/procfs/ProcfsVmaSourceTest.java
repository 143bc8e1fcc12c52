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

/** Against real processes: a sleeping child whose map does not change, and processes that are gone. */
class ProcfsVmaSourceTest {
    private final ProcfsVmaSource source = new ProcfsVmaSource();

    @Test
    void snapshotOfAQuietProcessEqualsItsMapsText() throws Exception {
        try (SleepingProcess sleeper = SleepingProcess.start()) {
            int pid = sleeper.pid();
            VmaSnapshot snap = source.snapshot(pid);
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            assertEquals(maps.replaceAll("(?m)^.* \\[vsyscall\\]\n", ""), snap.toProcMaps());
            assertTrue(maps.contains("[vsyscall]"), "x86_64 prints the vsyscall page; the source leaves it out");
            assertEquals("sleep", snap.comm());
            assertEquals(pid, snap.tgid());
            assertEquals("procfs", snap.source());
            assertTrue(snap.vmas().stream().anyMatch(v -> v.path().equals("[stack]")));
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
    void nonsensePidsAreRejected() {
        assertThrows(VmaCaptureException.class, () -> source.snapshot(0));
        assertThrows(VmaCaptureException.class, () -> source.snapshot(-5));
        assertThrows(ProcessGoneException.class, () -> source.snapshot(Integer.MAX_VALUE));
    }
}
