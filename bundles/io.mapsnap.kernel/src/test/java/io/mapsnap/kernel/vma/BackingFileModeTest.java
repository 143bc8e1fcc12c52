package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackingFileModeTest {
    @Test
    void flagFollowsTheRelease() {
        assertEquals(0, BackingFileMode.forRelease("5.10.0-46-amd64", false));
        assertEquals(0, BackingFileMode.forRelease("6.1.0-56-amd64", false));
        assertEquals(0, BackingFileMode.forRelease("6.5.13", false));
        assertEquals(0x2000000, BackingFileMode.forRelease("6.6.0", false));
        assertEquals(0x2000000, BackingFileMode.forRelease("6.12.118+deb13-amd64", false));
        assertEquals(0x1000000, BackingFileMode.forRelease("6.14.2", false));
        assertEquals(0x1000000, BackingFileMode.forRelease("6.18.44-fc-v782", false));
        assertEquals(0x1000000, BackingFileMode.forRelease("7.0.1", false));
        assertEquals(0, BackingFileMode.forRelease("not-a-release", false));
        // Stable kernels that took the 6.14 fsnotify rework (Debian 6.12.118 did) use the new bit.
        assertEquals(0x1000000, BackingFileMode.forRelease("6.12.118+deb13-amd64", true));
        assertEquals(0, BackingFileMode.forRelease("6.1.0-56-amd64", true));
    }
}
