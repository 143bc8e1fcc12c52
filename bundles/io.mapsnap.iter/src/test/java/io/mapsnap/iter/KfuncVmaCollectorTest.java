package io.mapsnap.iter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.BpfStats;
import io.mapsnap.kernel.vma.HookedVmaCollection;

/**
 * The kfunc collector's BPF programs on this machine's kernel, as the benchmarks read them. What it walks, and that
 * its exit walks equal /proc, is VmaCollectorEquivalenceIT's, which the kernel matrix runs on every kernel.
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
}
