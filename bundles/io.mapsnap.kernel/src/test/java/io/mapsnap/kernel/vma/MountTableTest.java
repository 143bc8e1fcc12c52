package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Paths from a filesystem's root placed under its mount point, from mountinfo text (a fixed table, then this
 * machine's own: the file the test maps is where /proc says).
 */
class MountTableTest {
    private static final MountTable TABLE = MountTable.parse("""
            26 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
            40 26 0:45 / /work rw,relatime - 9p repo rw
            41 26 8:1 /srv/data /data rw,relatime - ext4 /dev/sda1 rw
            42 26 0:46 /sub /mnt/with\\040space rw - tmpfs tmpfs rw
            garbage line
            43 26 x:y / /bad rw - tmpfs tmpfs rw
            """, 0);

    @Test
    void aPathIsPlacedUnderTheMountThatShowsItsFilesystem() {
        assertEquals("/usr/bin/sleep", TABLE.placed(8, 1, "/usr/bin/sleep"));
        assertEquals("/work/main/x", TABLE.placed(0, 45, "/main/x"));
        // A bind mount of a subdirectory shows what lies below it, under its own mount point.
        assertEquals("/data/file", TABLE.placed(8, 1, "/srv/data/file"));
        assertEquals("/mnt/with space/f", TABLE.placed(0, 46, "/sub/f"));
        // Outside the mounted subdirectory, and an unknown filesystem: as given.
        assertEquals("/other/f", TABLE.placed(0, 46, "/other/f"));
        assertEquals("/f", TABLE.placed(9, 9, "/f"));
        assertEquals("/work", TABLE.placed(0, 45, "/"));
    }

    @Test
    void thisProcesssOwnTableAgreesWithProcForAFileOfIts() throws Exception {
        Path f = Files.createTempFile("mounttable", ".bin");
        try {
            String device = Files.readString(Path.of("/proc/self/mountinfo")).lines()
                    .filter(l -> l.split(" ")[4].equals("/")).findFirst().orElseThrow().split(" ")[2];
            MountTable own = MountTable.read(Path.of("/proc/self/mountinfo"));
            List<String> parts = List.of(device.split(":"));
            String real = f.toRealPath().toString();
            // The root filesystem's files sit where they are, whatever else is mounted.
            assertEquals(real, own.placed(Integer.parseInt(parts.get(0)), Integer.parseInt(parts.get(1)), real));
        } finally {
            Files.delete(f);
        }
    }
}
