package io.mapsnap.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.kernel.btf.Btf;

/**
 * Where the list is gone (6.1+) the legacy collector's object still loads and attaches (it references no kfunc and
 * tests for the list with CO-RE), and every walk reports why it cannot run instead of producing a map. The runtime
 * never activates it there (its condition is mm-mmap-list); this is what makes it safe to ship in every assembly.
 */
class LegacyVmaCollectorOnMapleTreeTest {
    @Test
    void everyWalkFailsWithEopnotsuppAndNoSnapshotIsDelivered() throws Exception {
        Btf btf = Btf.read(Path.of("/sys/kernel/btf/vmlinux"));
        Assumptions.assumeFalse(btf.hasMember("mm_struct", "mmap"),
                "this kernel still has the mm->mmap list: VmaCollectorEquivalenceIT covers it");
        LegacyVmaCollectorConfig config = new LegacyVmaCollectorConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LegacyVmaCollectorConfig.class;
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
        List<CollectedSnapshot> got = new CopyOnWriteArrayList<>();
        CollectionStats stats;
        try (CollectionSession session = new LegacyVmaCollector(config).start(CollectionScope.all(), got::add)) {
            Process p = new ProcessBuilder("/bin/true").start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(200);
            stats = session.stats();
        }
        assertTrue(got.isEmpty(), "a snapshot without the list: " + got);
        // At least /bin/true's first system call and its exit_group; each walk said -EOPNOTSUPP.
        assertTrue(stats.failed() >= 2, stats.toString());
        assertEquals(0, stats.snapshots(), stats.toString());
    }
}
