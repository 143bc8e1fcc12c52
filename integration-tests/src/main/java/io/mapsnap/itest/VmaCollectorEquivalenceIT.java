package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.api.vma.VmaCollector;

/**
 * The collection-time collectors, as registered, against the kernel's own view: a process is walked at its first
 * system call and as it exits, and the exit walk equals what /proc/PID/maps showed while it lived. kfunc runs on
 * 6.7+, legacy on kernels up to 6.0; a collector this kernel refuses is reported as skipped with the kernel's
 * reason, and the kernel matrix runs each on a kernel that loads it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class VmaCollectorEquivalenceIT {
    @InjectBundleContext
    BundleContext context;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy"})
    void aProcessIsWalkedAtItsFirstSystemCallAndAtExitAsProcShowedIt(String name) throws Exception {
        VmaCollector collector = collector(name);
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        String procMaps;
        long pid;
        CollectionStats stats;
        try (CollectionSession session = collector.start(CollectionScope.all(), got::add)) {
            // A shell that waits on its stdin: it lives until told to end, then ends with exit_group. Kernels whose
            // sched_process_exit comes after exit_mm (5.10, Debian's 6.12) get their exit walk from exit_group.
            Process p = new ProcessBuilder("/bin/sh", "-c", "read line").start();
            pid = p.pid();
            awaitWalk(got, pid, CaptureTrigger.FIRST_SEEN);
            awaitBlockedInRead(pid);
            procMaps = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                    .filter(l -> !l.endsWith("[vsyscall]")).map(l -> l + "\n").collect(Collectors.joining());
            p.getOutputStream().close();
            assertTrue(p.waitFor(TimeScale.millis(60_000), TimeUnit.MILLISECONDS));
            awaitWalk(got, pid, CaptureTrigger.EXIT);
            stats = session.stats();
        }
        List<CollectedSnapshot> exits = got.stream()
                .filter(c -> c.snapshot().tgid() == pid && c.trigger() == CaptureTrigger.EXIT).toList();
        // One exit walk at exit_group, and a second in sched_process_exit where it still sees the mm: all equal.
        for (CollectedSnapshot exit : exits) {
            assertEquals(procMaps, exit.snapshot().toProcMaps(), name + "'s exit walk");
            assertEquals("sh", exit.snapshot().comm());
            assertEquals(name, exit.snapshot().source());
            assertFalse(exit.snapshot().truncated());
            assertTrue(exit.addressSpace() != 0);
        }
        assertTrue(stats.snapshots() >= 2, stats.toString());
        assertEquals(0, stats.failed(), stats.toString());
        assertEquals(0, stats.lostRecords(), stats.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy"})
    void aProcessWithThousandsOfVmasIsWalkedWholeAtExit(String name) throws Exception {
        VmaCollector collector = collector(name);
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        String procMaps;
        long pid;
        try (CollectionSession session = collector.start(CollectionScope.all(), got::add)) {
            // Past legacy's 256 VMAs a program run on 5.10: its system-call walk goes on by tail calls.
            try (Workload w = Workload.start("many_vmas", "3000")) {
                pid = w.pid();
                procMaps = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                        .filter(l -> !l.endsWith("[vsyscall]")).map(l -> l + "\n").collect(Collectors.joining());
            } // closes its stdin: it returns from main, and exit_group is its last system call
            awaitWalk(got, pid, CaptureTrigger.EXIT);
            CollectionStats stats = session.stats();
            assertEquals(0, stats.lostRecords(), stats.toString());
        }
        CollectedSnapshot exit = got.stream()
                .filter(c -> c.snapshot().tgid() == pid && c.trigger() == CaptureTrigger.EXIT).findFirst().orElseThrow();
        assertFalse(exit.snapshot().truncated(), name + " truncated the exit walk at " + exit.snapshot().vmas().size());
        assertTrue(exit.snapshot().vmas().size() > 3000, "VMAs: " + exit.snapshot().vmas().size());
        assertEquals(procMaps, exit.snapshot().toProcMaps(), name + "'s exit walk of many_vmas 3000");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy"})
    void everyOneOfManyShortProcessesIsCapturedAtExit(String name) throws Exception {
        VmaCollector collector = collector(name);
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        List<Long> pids = new ArrayList<>();
        try (CollectionSession session = collector.start(CollectionScope.all(), got::add)) {
            for (int i = 0; i < 20; i++) {
                Process p = new ProcessBuilder("/bin/true").start();
                pids.add(p.pid());
                assertTrue(p.waitFor(TimeScale.millis(60_000), TimeUnit.MILLISECONDS));
            }
            for (long pid : pids) {
                awaitWalk(got, pid, CaptureTrigger.EXIT);
            }
        }
        for (long pid : pids) {
            assertTrue(got.stream().anyMatch(c -> c.snapshot().tgid() == pid && c.trigger() == CaptureTrigger.EXIT
                    && c.snapshot().vmas().stream().anyMatch(v -> v.path().endsWith("/true"))),
                    "no exit snapshot naming /bin/true for " + pid);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy"})
    void aScopedCollectionWalksOnlyItsProcesses(String name) throws Exception {
        VmaCollector collector = collector(name);
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        // Started before the collection (the scope names it), ended after the hooks are attached.
        Process inScope = new ProcessBuilder("/bin/sh", "-c", "read line").start();
        try (CollectionSession session = collector.start(new CollectionScope(Set.of((int) inScope.pid()), 0),
                got::add)) {
            Process other = new ProcessBuilder("/bin/sleep", "0.1").start();
            assertTrue(other.waitFor(TimeScale.millis(60_000), TimeUnit.MILLISECONDS));
            inScope.getOutputStream().close();
            assertTrue(inScope.waitFor(TimeScale.millis(60_000), TimeUnit.MILLISECONDS));
            awaitWalk(got, inScope.pid(), CaptureTrigger.EXIT);
        }
        assertTrue(got.stream().allMatch(c -> c.snapshot().tgid() == inScope.pid()),
                "walked outside the scope: " + got.stream().map(c -> c.snapshot().tgid()).distinct().toList());
    }

    /** The registered collector, or a skip with the kernel's reason for refusing it. */
    private VmaCollector collector(String name) throws Exception {
        return RunnableComponent.collector(context, name);
    }

    /** Waits until pid sits in read(2) on its stdin: past ld.so and its libraries, its map final. */
    private static void awaitBlockedInRead(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TimeScale.millis(60_000));
        // /proc/PID/syscall starts with the number of the system call the task is blocked in (read is 0 on x86_64).
        while (!Files.readString(Path.of("/proc/" + pid + "/syscall")).startsWith("0 ")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(pid + " never blocked in read(2)");
            }
            Thread.sleep(20);
        }
    }

    /** Waits for a walk of pid with that trigger: the drain thread delivers walks a little after the hooks ran. */
    private static void awaitWalk(List<CollectedSnapshot> got, long pid, CaptureTrigger trigger)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TimeScale.millis(60_000));
        while (got.stream().noneMatch(c -> c.snapshot().tgid() == pid && c.trigger() == trigger)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + trigger + " walk of " + pid + "; got "
                        + got.stream().filter(c -> c.snapshot().tgid() == pid).map(CollectedSnapshot::trigger).toList());
            }
            Thread.sleep(20);
        }
    }
}
