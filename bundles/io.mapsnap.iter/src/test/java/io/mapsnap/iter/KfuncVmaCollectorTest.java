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
import org.junit.jupiter.api.BeforeAll;
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

    @BeforeAll
    static void kernelHasTheIterator() throws IOException {
        // The collector needs the kfuncs (6.7+); the kernel bundle's probes decide in the runtime, not this test.
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
            Process p = new ProcessBuilder("/bin/sleep", "0.6").start();
            pid = p.pid();
            Thread.sleep(300);
            procMaps = withoutVsyscall(Files.readString(Path.of("/proc/" + pid + "/maps")));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(200);
            stats = session.stats();
        }
        List<CollectedSnapshot> mine = got.stream().filter(c -> c.snapshot().tgid() == pid).toList();
        Set<CaptureTrigger> triggers = mine.stream().map(CollectedSnapshot::trigger).collect(Collectors.toSet());
        assertTrue(triggers.contains(CaptureTrigger.FIRST_SEEN), "triggers " + triggers);
        CollectedSnapshot exit = mine.stream().filter(c -> c.trigger() == CaptureTrigger.EXIT).findFirst()
                .orElseThrow(() -> new AssertionError("no exit walk of " + pid + "; got " + triggers));
        assertEquals(procMaps, exit.snapshot().toProcMaps());
        assertEquals("sleep", exit.snapshot().comm());
        assertEquals("kfunc", exit.snapshot().source());
        assertFalse(exit.snapshot().truncated());
        assertTrue(exit.addressSpace() != 0);
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
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            }
            Thread.sleep(200);
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
        Process inScope = new ProcessBuilder("/bin/sleep", "0.5").start();
        try (CollectionSession session = new KfuncVmaCollector(CONFIG)
                .start(new CollectionScope(Set.of((int) inScope.pid()), 0), got::add)) {
            Process other = new ProcessBuilder("/bin/sleep", "0.1").start();
            assertTrue(other.waitFor(10, TimeUnit.SECONDS));
            assertTrue(inScope.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(200);
        }
        assertFalse(got.isEmpty(), "the process in scope was not walked at exit");
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

    private static String withoutVsyscall(String maps) {
        // The kfunc iterator never yields the legacy [vsyscall] page (it is not a VMA of the mm).
        return maps.lines().filter(l -> !l.endsWith("[vsyscall]")).map(l -> l + "\n").collect(Collectors.joining());
    }
}
