package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;

/** Which collected map a sample is resolved against. */
class CollectedMapsTest {
    private final List<VmaSnapshot> retained = new ArrayList<>();
    private final CollectedMaps maps = new CollectedMaps(retained::add);

    @Test
    void theFirstMapAtOrAfterTheSampleComesFirstThenEarlierOnesLatestFirst() {
        VmaSnapshot first = snapshot(100, 7, 10);
        VmaSnapshot refresh = snapshot(100, 7, 20);
        VmaSnapshot exit = snapshot(100, 7, 30);
        maps.add(new CollectedSnapshot(exit, 0xa, CaptureTrigger.EXIT));
        maps.add(new CollectedSnapshot(first, 0xa, CaptureTrigger.FIRST_SEEN));
        maps.add(new CollectedSnapshot(refresh, 0xa, CaptureTrigger.REFRESH));
        assertEquals(List.of(refresh, exit, first), maps.candidates(new ProcessIdentity(100, 7), 0xa, at(15)));
        assertEquals(3, retained.size());
        assertTrue(maps.exitCaptured(new ProcessIdentity(100, 7)));
    }

    @Test
    void anExitMapOfAnAddressSpaceKeptBeforeIsCollectedButNotRetainedAgain() {
        VmaSnapshot first = snapshot(100, 7, 10);
        VmaSnapshot exitOfFirst = snapshot(100, 7, 20);
        VmaSnapshot exitAfterExec = snapshot(100, 7, 30);
        maps.add(new CollectedSnapshot(first, 0xa, CaptureTrigger.FIRST_SEEN));
        maps.add(new CollectedSnapshot(exitOfFirst, 0xa, CaptureTrigger.EXIT));
        maps.add(new CollectedSnapshot(exitAfterExec, 0xb, CaptureTrigger.EXIT));
        assertEquals(List.of(first, exitAfterExec), retained, "the exit walk of 0xa came after its files were kept");
        assertEquals(List.of(exitOfFirst, first), maps.candidates(new ProcessIdentity(100, 7), 0xa, at(15)));
    }

    @Test
    void anotherAddressSpaceOrAReusedPidIsNeverACandidate() {
        maps.add(new CollectedSnapshot(snapshot(100, 7, 10), 0xa, CaptureTrigger.FIRST_SEEN));
        maps.add(new CollectedSnapshot(snapshot(100, 7, 20), 0xb, CaptureTrigger.EXEC));
        maps.add(new CollectedSnapshot(snapshot(100, 9, 30), 0xc, CaptureTrigger.FIRST_SEEN));
        List<VmaSnapshot> c = maps.candidates(new ProcessIdentity(100, 7), 0xb, at(5));
        assertEquals(1, c.size());
        assertEquals(at(20), c.get(0).takenAt());
        assertTrue(maps.candidates(new ProcessIdentity(100, 8), 0xb, at(5)).isEmpty());
    }

    @Test
    void mapsWithoutAnAddressSpaceMatchByProcessAlone() {
        maps.add(new CollectedSnapshot(snapshot(100, 7, 10), 0, CaptureTrigger.AFTER_SAMPLE));
        assertEquals(1, maps.candidates(new ProcessIdentity(100, 7), 0xa, at(50)).size());
    }

    private static Instant at(long seconds) {
        return Instant.ofEpochSecond(seconds);
    }

    private static VmaSnapshot snapshot(int tgid, long start, long takenAt) {
        return new VmaSnapshot(tgid, tgid, "w", start, at(takenAt), "kfunc", false,
                List.of(new Vma(0x1000, 0x2000, 0, Permissions.parse("r-xp"), 8, 1, 5, "/bin/w", null)));
    }
}
