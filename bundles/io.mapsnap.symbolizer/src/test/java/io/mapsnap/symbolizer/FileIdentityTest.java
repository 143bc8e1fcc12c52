package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;
import io.mapsnap.procfs.ProcfsVmaSource;

/** stat's dev_t (glibc's encoding) decodes to the major:minor the kernel prints in /proc/PID/maps. */
class FileIdentityTest {
    @Test
    void statOfEveryMappedFileMatchesItsVma() throws Exception {
        int checked = 0;
        for (Vma vma : new ProcfsVmaSource().snapshot((int) ProcessHandle.current().pid()).vmas()) {
            if (vma.inode() != 0 && vma.path().startsWith("/") && !vma.path().endsWith(" (deleted)")) {
                assertEquals(FileIdentity.of(vma), FileVersion.of(Path.of(vma.path())).identity(), vma::toString);
                checked++;
            }
        }
        assertTrue(checked > 3, "the JVM maps libjvm, libc and more: " + checked);
    }

    @Test
    void largeDeviceNumbersUseBothHalvesOfTheEncoding() {
        // makedev(0x123, 0x45678) = 0x0000_0000_4561_2378 | high bits: major 0x123 fits in bits 8-19.
        long dev = (0x123L & 0xfff) << 8 | (0x123L & ~0xfffL) << 32 | (0x45678L & 0xff) | (0x45678L & ~0xffL) << 12;
        assertEquals(new FileIdentity(0x123, 0x45678, 7), FileIdentity.of(dev, 7));
        long bigMajor = (0x1234L & 0xfff) << 8 | (0x1234L & ~0xfffL) << 32 | 5;
        assertEquals(new FileIdentity(0x1234, 5, 1), FileIdentity.of(bigMajor, 1));
    }
}
