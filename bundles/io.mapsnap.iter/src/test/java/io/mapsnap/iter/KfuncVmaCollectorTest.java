package io.mapsnap.iter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.HookedVmaCollection;
import io.mapsnap.kernel.vma.HookedVmaCollector;

/**
 * The kfunc collector's BPF programs on this machine's kernel, as the benchmarks read them. What it walks, and that
 * its exit walks equal /proc, is VmaCollectorEquivalenceIT's, which the kernel matrix runs on every kernel. Whether
 * it can run here is what its own program says: a kernel that refuses it skips this test with the kernel's words.
 */
class KfuncVmaCollectorTest {
    @Test
    void itsProgramsReportRunTimeAndWalksForTheBenchmarks() throws Exception {
        VariantSelection<HookedVmaCollector> selection = HookedVmaCollector.select("kfunc", 65536,
                Duration.ofSeconds(1), KfuncVmaCollector.variants());
        Assumptions.assumeTrue(selection.chosen().isPresent(), () -> "the kfunc collector cannot run here: "
                + selection.verdicts());
        int processes = 5;
        try (BpfStats on = BpfStats.enableRunTime();
                HookedVmaCollection collection = selection.chosen().get().startCollection(CollectionScope.all(),
                        c -> { })) {
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
}
