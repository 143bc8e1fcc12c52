package io.mapsnap.iter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.vma.HookedVmaCollection;

/**
 * The kfunc collector on this machine's kernel: processes started during a collection are walked at their first
 * system call and as they exit, and the exit walk equals what /proc showed while the process lived.
 */
class KfuncVmaCollectorTest {
    private static final KfuncVmaCollectorConfig CONFIG = new KfuncVmaCollectorConfig() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return KfuncVmaCollectorConfig.class;
        }

        @Override
        public int maxVmas() {
            return 65536;
        }

        @Override
        public long refreshIntervalMillis() {
            return 1000;
        }
    };

    @BeforeEach
    void kernelHasTheIterator() throws IOException {
        // The collector needs the kfuncs (6.7+); the kernel bundle's probes decide in the runtime, not this test.
        // Per test, not @BeforeAll: Surefire reports a class-level assumption as zero tests, not as skipped ones.
        byte[] btf = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        Assumptions.assumeTrue(new String(btf, StandardCharsets.ISO_8859_1).contains("bpf_iter_task_vma_new"),
                "this kernel has no bpf_iter_task_vma_new kfunc (6.7+): the kfunc collector cannot run here");
    }

    @Test
    void aShortLivedProcessIsWalkedAtItsFirstSystemCallAndAtExitAsProcShowedIt() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        String procMaps;
        long pid;
        CollectionStats stats;
        try (CollectionSession session = new KfuncVmaCollector(CONFIG).start(CollectionScope.all(), got::add)) {
            // A shell that waits on its stdin: it lives until told to end, then ends with exit_group. Kernels whose
            // sched_process_exit comes after exit_mm (Debian's 6.12) get their exit walk from exit_group alone.
            Process p = new ProcessBuilder("/bin/sh", "-c", "read line").start();
            pid = p.pid();
            awaitWalk(got, pid, CaptureTrigger.FIRST_SEEN);
            awaitBlockedInRead(pid);
            procMaps = withoutVsyscall(Files.readString(Path.of("/proc/" + pid + "/maps")));
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            awaitWalk(got, pid, CaptureTrigger.EXIT);
            stats = session.stats();
        }
        List<CollectedSnapshot> mine = got.stream().filter(c -> c.snapshot().tgid() == pid).toList();
        List<CollectedSnapshot> exits = mine.stream().filter(c -> c.trigger() == CaptureTrigger.EXIT).toList();
        // One exit walk at exit_group, and a second in sched_process_exit where it still sees mm (6.18): all equal.
        for (CollectedSnapshot exit : exits) {
            assertEquals(procMaps, exit.snapshot().toProcMaps());
            assertEquals("sh", exit.snapshot().comm());
            assertEquals("kfunc", exit.snapshot().source());
            assertFalse(exit.snapshot().truncated());
            assertTrue(exit.addressSpace() != 0);
        }
        assertTrue(stats.snapshots() >= 2, stats.toString());
        assertEquals(0, stats.lostRecords(), stats.toString());
    }

    @Test
    void everyOneOfManyShortProcessesIsCapturedAtExit() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        List<Long> pids = new java.util.ArrayList<>();
        try (CollectionSession session = new KfuncVmaCollector(CONFIG).start(CollectionScope.all(), got::add)) {
            for (int i = 0; i < 20; i++) {
                Process p = new ProcessBuilder("/bin/true").start();
                pids.add(p.pid());
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
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

    @Test
    void aScopedCollectionWalksOnlyItsProcesses() throws Exception {
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        // Started before the collection (the scope names it), ended after the hooks are attached.
        Process inScope = new ProcessBuilder("/bin/sh", "-c", "read line").start();
        try (CollectionSession session = new KfuncVmaCollector(CONFIG)
                .start(new CollectionScope(Set.of((int) inScope.pid()), 0), got::add)) {
            Process other = new ProcessBuilder("/bin/sleep", "0.1").start();
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            inScope.getOutputStream().close();
            assertTrue(inScope.waitFor(60, TimeUnit.SECONDS));
            awaitWalk(got, inScope.pid(), CaptureTrigger.EXIT);
        }
        assertTrue(got.stream().allMatch(c -> c.snapshot().tgid() == inScope.pid()),
                "walked outside the scope: " + got.stream().map(c -> c.snapshot().tgid()).distinct().toList());
    }

    @Test
    void itsProgramsReportRunTimeAndWalksForTheBenchmarks() throws Exception {
        int processes = 5;
        try (BpfStats on = BpfStats.enableRunTime();
                CollectionSession session = new KfuncVmaCollector(CONFIG).start(CollectionScope.all(), c -> { })) {
            HookedVmaCollection collection = (HookedVmaCollection) session;
            for (int i = 0; i < processes; i++) {
                assertTrue(new ProcessBuilder("/bin/true").start().waitFor(10, TimeUnit.SECONDS));
            }
            Map<String, BpfRunStats> stats = collection.runStats();
            assertEquals(Set.of("collect_on_sys_enter", "collect_on_exit"), stats.keySet());
            // Every process makes system calls and exits: both hooks ran, and the clock ran with them.
            for (BpfRunStats s : stats.values()) {
                assertTrue(s.runCount() >= processes && s.runTimeNs() > 0, stats.toString());
            }
            // Each /bin/true is walked at its first system call (fork child), after exec and at exit.
            assertTrue(collection.walksStarted() >= 2L * processes, "walks " + collection.walksStarted());
        }
    }

    /** Waits until pid sits in read(2) on its stdin: past ld.so and its libraries, its map final. */
    private static void awaitBlockedInRead(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (got.stream().noneMatch(c -> c.snapshot().tgid() == pid && c.trigger() == trigger)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + trigger + " walk of " + pid + " within 60 s; got "
                        + got.stream().filter(c -> c.snapshot().tgid() == pid).map(CollectedSnapshot::trigger).toList());
            }
            Thread.sleep(20);
        }
    }

    private static String withoutVsyscall(String maps) {
        // The kfunc iterator never yields the legacy [vsyscall] page (it is not a VMA of the mm).
        return maps.lines().filter(l -> !l.endsWith("[vsyscall]")).map(l -> l + "\n").collect(Collectors.joining());
    }
}
