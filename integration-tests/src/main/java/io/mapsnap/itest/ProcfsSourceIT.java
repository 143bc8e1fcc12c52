package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/** The procfs source, enabled by its capability condition, as the registry hands it out. */
@ExtendWith(ServiceExtension.class)
class ProcfsSourceIT {
    @InjectService(filter = "(mapsnap.source=procfs)", timeout = 10_000)
    VmaSource procfs;

    @Test
    void snapshotEqualsTheKernelsText() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            Path stat = Path.of("/proc/" + pid + "/stat");
            for (int i = 0; i < 200 && !Files.readString(stat).contains(") S "); i++) {
                Thread.sleep(10);
            }
            VmaSnapshot snap = procfs.snapshot(pid);
            assertEquals(Files.readString(Path.of("/proc/" + pid + "/maps")), snap.toProcMaps());
            assertEquals("procfs", snap.source());
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void exitedProcessGivesProcessGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThrows(ProcessGoneException.class, () -> procfs.snapshot((int) p.pid()));
    }
}
