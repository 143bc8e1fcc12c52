package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;

class WalkedProcessTest {
    private static Vma anon(long start, long end) {
        return new Vma(start, end, 0, Permissions.parse("rw-p"), 0, 0, 0, "", null);
    }

    private static WalkedProcess walk(Vma... vmas) {
        return new WalkedProcess(1, 1, "x", 0, 0, 0, vmas.length, 0, 0, false, false, List.of(vmas));
    }

    @Test
    void sortedDisjointWalksAreInOrder() {
        assertTrue(walk().disorder().isEmpty());
        assertTrue(walk(anon(0x1000, 0x2000), anon(0x2000, 0x3000), anon(0x7f0000000000L, 0x7f0000001000L))
                .disorder().isEmpty());
    }

    @Test
    void overlapAndReverseOrderAreNamed() {
        // The pair seen in the 6.12 guest: the second starts inside the first.
        assertEquals("VMA 0 7f733d735000-7f733d73a000 rw-p 00000000 00:00 0 / VMA 1 7f733d736000-7f733d73c000 rw-p"
                + " 00000000 00:00 0", walk(anon(0x7f733d735000L, 0x7f733d73a000L),
                        anon(0x7f733d736000L, 0x7f733d73c000L)).disorder().orElseThrow());
        assertTrue(walk(anon(0x5000, 0x6000), anon(0x1000, 0x2000)).disorder().isPresent());
    }
}
