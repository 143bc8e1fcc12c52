package io.mapsnap.iter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.HookedVmaCollection;
import io.mapsnap.kernel.vma.HookedVmaCollector;
import io.mapsnap.kernel.vma.MappedPathWorkload;

/**
 * The kfunc collector's BPF programs on this machine's kernel, as the benchmarks read them, and the paths it builds
 * from the dentry chain. That its exit walks of an ordinary process equal /proc on every kernel is
 * VmaCollectorEquivalenceIT's, which the kernel matrix runs. Whether it can run here is what its own program says: a
 * kernel that refuses it skips these tests with the kernel's words.
 */
class KfuncVmaCollectorTest {
    /** The collector as its component chooses it. */
    private static HookedVmaCollector collector() {
        VariantSelection<HookedVmaCollector> selection = HookedVmaCollector.select("kfunc", 65536,
                Duration.ofSeconds(1), KfuncVmaCollector.variants());
        Assumptions.assumeTrue(selection.chosen().isPresent(), () -> "the kfunc collector cannot run here: "
                + selection.verdicts());
        return selection.chosen().get();
    }

    @Test
    void itsProgramsReportRunTimeAndWalksForTheBenchmarks() throws Exception {
        HookedVmaCollector collector = collector();
        int processes = 5;
        try (BpfStats on = BpfStats.enableRunTime();
                HookedVmaCollection collection = collector.startCollection(CollectionScope.all(), c -> { })) {
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

    @Test
    void itsExitWalkNamesFilesAsProcDoes(@TempDir Path dir) throws Exception {
        MappedPathWorkload.assumeRoot();
        Path mapper = MappedPathWorkload.compile(Files.createDirectory(dir.resolve("bin")));
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/lib.bin"), "bound");
        Files.writeString(dir.resolve("gone.bin"), "deleted while mapped");
        Files.writeString(dir.resolve("n".repeat(255)), "long name");
        BlockingQueue<CollectedSnapshot> got = new LinkedBlockingQueue<>();
        String proc;
        int pid;
        // Started before the collection, which is scoped to it: its exit walk is the one that counts.
        try (MappedPathWorkload w = MappedPathWorkload.startInMountNamespace(mapper, dir,
                "mkdir bind\nmount --bind src bind", "map", "bind/lib.bin", "map-unlinked", "gone.bin",
                "map", "n".repeat(255), "memfd", "mapsnap-collector", "perf", "deep", "40", "8")) {
            pid = w.pid();
            proc = w.procMaps();
            try (CollectionSession session = collector().start(new CollectionScope(Set.of(pid), 0), got::add)) {
                w.close(); // stdin closes, the process exits: exit_group is walked
                CollectedSnapshot exit;
                do {
                    exit = got.poll(30, TimeUnit.SECONDS);
                    assertTrue(exit != null, "no exit walk of " + pid);
                } while (exit.trigger() != CaptureTrigger.EXIT);
                assertEquals(proc, exit.snapshot().toProcMaps());
                System.out.printf("kfunc_vma_collector exit walk: pid %d, %d VMAs compared with /proc, 0 differing%n",
                        pid, exit.snapshot().vmas().size());
            }
        }
        assertTrue(MappedPathWorkload.names(proc, dir, "bind/lib.bin"), proc);
        assertTrue(MappedPathWorkload.names(proc, dir, "gone.bin (deleted)"), proc);
        assertTrue(proc.contains(" /memfd:mapsnap-collector (deleted)\n"), proc);
        assertTrue(proc.contains(" anon_inode:[perf_event]\n"), proc);
    }
}
