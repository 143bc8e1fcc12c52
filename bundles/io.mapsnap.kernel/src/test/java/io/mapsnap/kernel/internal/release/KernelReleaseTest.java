package io.mapsnap.kernel.internal.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class KernelReleaseTest {
    @Test
    void parsesDistributionSuffixes() {
        KernelRelease r = KernelRelease.parse("6.18.44-fc-v782");
        assertEquals(6, r.major());
        assertEquals(18, r.minor());
        assertEquals(44, r.patch());
        assertEquals(new KernelRelease("5.10.0-46-amd64", 5, 10, 0), KernelRelease.parse("5.10.0-46-amd64"));
        assertEquals(0, KernelRelease.parse("6.12").patch());
    }

    @Test
    void comparesMajorThenMinor() {
        assertTrue(KernelRelease.parse("6.1.0").atLeast(5, 11));
        assertTrue(KernelRelease.parse("5.11.0").atLeast(5, 11));
        assertFalse(KernelRelease.parse("5.10.262").atLeast(5, 11));
        assertFalse(KernelRelease.parse("4.19.0").atLeast(5, 1));
    }

    @Test
    void rejectsWhatIsNotARelease() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse("linux"));
        assertTrue(e.getMessage().contains("'linux'"), e.getMessage());
    }

    @Test
    void readsTheRunningKernel() {
        KernelRelease r = KernelRelease.parse(KernelRelease.read(Path.of("/proc")));
        assertTrue(r.major() >= 5, r.text());
    }
}
