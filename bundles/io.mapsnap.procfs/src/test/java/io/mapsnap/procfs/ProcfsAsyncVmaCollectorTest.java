package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;

/**
 * The after-sample baseline: one read of /proc per process identity and address space, and nothing for a process
 * already gone.
 */
class ProcfsAsyncVmaCollectorTest {
    @Test
    void takesOneSnapshotPerProcessAndNoneOfAProcessAlreadyGone() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        Process alive = new ProcessBuilder("/bin/sleep", "5").start();
        Process gone = new ProcessBuilder("/bin/true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        try {
            long start = startTime(alive.pid());
            try (CollectionSession s = new ProcfsAsyncVmaCollector().start(CollectionScope.all(), got::add)) {
                for (int i = 0; i < 5; i++) {
                    s.sampled((int) alive.pid(), start);
                }
                s.sampled((int) gone.pid(), 1);
                s.sampled((int) alive.pid(), start + 1); // another process that reused the pid: not this map
            }
            assertEquals(1, got.size());
            assertEquals(alive.pid(), got.get(0).snapshot().tgid());
            assertEquals(CaptureTrigger.AFTER_SAMPLE, got.get(0).trigger());
        } finally {
            alive.destroy();
        }
    }

    @Test
    void aNewAddressSpaceOfTheSameProcessIsReadAgain() throws Exception {
        // A process sampled before and after its exec: same pid and start time, another mm (the sampler's mm field).
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        Process p = new ProcessBuilder("/bin/sleep", "5").start();
        try {
            long start = startTime(p.pid());
            try (CollectionSession s = new ProcfsAsyncVmaCollector().start(CollectionScope.all(), got::add)) {
                s.sampled((int) p.pid(), start, 0xffff888001000000L);
                s.sampled((int) p.pid(), start, 0xffff888001000000L);
                s.sampled((int) p.pid(), start, 0xffff888002000000L);
            }
            assertEquals(2, got.size(), "one read per address space");
        } finally {
            p.destroy();
        }
    }

    @Test
    void theAtEndBaselineReadsOnlyWhenItClosesAndLosesWhatExitedMeanwhile() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        Process exits = new ProcessBuilder("/bin/sleep", "0.2").start();
        Process stays = new ProcessBuilder("/bin/sleep", "5").start();
        try {
            try (CollectionSession s = new ProcfsAtEndVmaCollector().start(CollectionScope.all(), got::add)) {
                s.sampled((int) exits.pid(), startTime(exits.pid()));
                s.sampled((int) stays.pid(), startTime(stays.pid()));
                Thread.sleep(100);
                assertTrue(got.isEmpty(), "read before the end");
                assertTrue(exits.waitFor(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of(stays.pid()), got.stream().map(c -> (long) c.snapshot().tgid()).toList());
            assertEquals(CaptureTrigger.AFTER_SAMPLE, got.get(0).trigger());
        } finally {
            stays.destroy();
        }
    }

    @Test
    void aScopedCollectionIgnoresOtherProcesses() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        Process p = new ProcessBuilder("/bin/sleep", "5").start();
        try {
            try (CollectionSession s = new ProcfsAsyncVmaCollector().start(new CollectionScope(Set.of(1), 0),
                    got::add)) {
                s.sampled((int) p.pid(), startTime(p.pid()));
            }
            assertTrue(got.isEmpty());
        } finally {
            p.destroy();
        }
    }

    private static long startTime(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }
}
