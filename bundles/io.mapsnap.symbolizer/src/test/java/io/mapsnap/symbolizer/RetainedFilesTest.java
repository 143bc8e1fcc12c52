package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;
import io.mapsnap.procfs.ProcfsVmaSource;
import io.mapsnap.symbolizer.RetainedFiles.Retention;

/** What retaining a mapping's file through /proc/PID/map_files tells its caller, against this JVM's own map. */
class RetainedFilesTest {
    private static final Path SELF_MAP_FILES = Path.of("/proc", Long.toString(ProcessHandle.current().pid()),
            "map_files");

    @Test
    void aLiveMappingIsKeptOnceAndAnotherFilesIdentityIsNot() throws Exception {
        Vma libjvm = executableMapping("libjvm.so");
        Path link = SELF_MAP_FILES.resolve(Long.toHexString(libjvm.start()) + "-" + Long.toHexString(libjvm.end()));
        try (RetainedFiles files = new RetainedFiles(4)) {
            assertEquals(Retention.KEPT, files.retain(link, FileIdentity.of(libjvm)));
            assertEquals(Retention.KEPT, files.retain(link, FileIdentity.of(libjvm)), "kept already");
            assertEquals(1, files.size());
            assertNotNull(files.get(FileIdentity.of(libjvm)));
            FileIdentity other = new FileIdentity(libjvm.deviceMajor(), libjvm.deviceMinor(), libjvm.inode() + 1);
            assertEquals(Retention.NOT_KEPT, files.retain(link, other), "the link names another file");
            assertNull(files.get(other));
        }
    }

    @Test
    void aMappingNoLongerThereIsGoneSoTheCallerStopsLookingAtThatProcess() throws Exception {
        Vma libjvm = executableMapping("libjvm.so");
        try (RetainedFiles files = new RetainedFiles(4)) {
            // No mapping of this process starts at address 0: the link does not exist, as for a process gone.
            assertEquals(Retention.GONE, files.retain(SELF_MAP_FILES.resolve("0-1000"), FileIdentity.of(libjvm)));
            assertEquals(0, files.size());
        }
    }

    private static Vma executableMapping(String fileName) throws Exception {
        return new ProcfsVmaSource().snapshot((int) ProcessHandle.current().pid()).vmas().stream()
                .filter(v -> v.permissions().execute() && v.path().endsWith("/" + fileName)).findFirst()
                .orElseThrow(() -> new AssertionError("this JVM maps " + fileName + " executable"));
    }
}
