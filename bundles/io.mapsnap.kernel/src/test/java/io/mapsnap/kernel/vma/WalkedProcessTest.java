package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;

class WalkedProcessTest {
    private static final Vma STACK = new Vma(0x7ffc00000000L, 0x7ffc00021000L, 0, Permissions.parse("rw-p"), 0, 0, 0,
            "[stack]", null);

    private static Vma anon(long start, long end) {
        return new Vma(start, end, 0, Permissions.parse("rw-p"), 0, 0, 0, "", null);
    }

    private static WalkedProcess walk(boolean truncated, Vma... vmas) {
        return new WalkedProcess(1, 1, "x", 0, 0, 0, vmas.length, 0, 0, truncated, false, List.of(vmas));
    }

    @Test
    void sortedDisjointWalksThatReachTheStackAreWhole() {
        assertTrue(walk(false).inconsistency().isEmpty());
        assertTrue(walk(false, anon(0x1000, 0x2000), anon(0x2000, 0x3000), STACK).inconsistency().isEmpty());
    }

    @Test
    void overlapAndReverseOrderAreNamed() {
        // The pair seen in the 6.12 guest: the second starts inside the first.
        assertEquals("VMA 0 7f733d735000-7f733d73a000 rw-p 00000000 00:00 0 / VMA 1 7f733d736000-7f733d73c000 rw-p"
                + " 00000000 00:00 0 out of order", walk(false, anon(0x7f733d735000L, 0x7f733d73a000L),
                        anon(0x7f733d736000L, 0x7f733d73c000L), STACK).inconsistency().orElseThrow());
        assertTrue(walk(false, anon(0x5000, 0x6000), anon(0x1000, 0x2000), STACK).inconsistency().isPresent());
    }

    @Test
    void aWalkThatEndsBeforeTheStackIsIncompleteUnlessItSaysItWasCutShort() {
        // As a lockless vm_next walk on 5.10 ended when the list was unlinked under it.
        assertEquals("the walk ended after 2 VMAs, at 00002000-00003000 rw-p 00000000 00:00 0, before the stack",
                walk(false, anon(0x1000, 0x2000), anon(0x2000, 0x3000)).inconsistency().orElseThrow());
        assertTrue(walk(true, anon(0x1000, 0x2000), anon(0x2000, 0x3000)).inconsistency().isEmpty());
    }
}
