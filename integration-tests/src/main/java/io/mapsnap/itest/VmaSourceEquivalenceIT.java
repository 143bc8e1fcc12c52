package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * Every VMA source against the kernel's own view, the kernel selftests' way (iters_task_vma): the snapshot of
 * a process equals /proc/PID/maps, field by field, except for [vsyscall], which is not a VMA of the process's
 * mm (it is the legacy gate area the kernel adds when printing). What to expect comes from what loaded: a source
 * this kernel refused is reported as skipped with the kernel's words (and must have some); a source that loaded must
 * be registered and equal /proc.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class VmaSourceEquivalenceIT {
    /**
     * Sources whose walk has a fixed bound, and the bound: legacy's verifier-sized loop (LEGACY_WALK_LIMIT, 256 VMAs
     * a run on 5.10) times the runs one walk takes by tail-calling itself (1 + 32).
     */
    private static final Map<String, Integer> KNOWN_BOUNDS = Map.of("legacy", 256 * 33);

    @InjectBundleContext
    BundleContext context;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy", "bpf-iter", "procmap-query", "procfs"})
    void quietProcessEqualsProcMaps(String name) throws Exception {
        VmaSource source = source(name);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            int pid = (int) sleeper.pid();
            waitUntilSleeping(pid);
            assertSameAsProc(pid, source.snapshot(pid));
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy", "bpf-iter", "procmap-query", "procfs"})
    void processWithThousandsOfVmas(String name) throws Exception {
        VmaSource source = source(name);
        try (Workload w = Workload.start("many_vmas", "3000")) {
            VmaSnapshot snap = source.snapshot(w.pid());
            if (snap.truncated()) {
                // Only a walker with a known bound may stop early, and exactly at it (KNOWN_BOUNDS: a 3,000-VMA walk
                // is within legacy's since it goes on by tail calls). A full ring buffer or a walk that never ended
                // is not a bound: on-demand walkers retry those and fail when they persist.
                Integer bound = KNOWN_BOUNDS.get(name);
                assertTrue(bound != null, name + " truncated a walk of " + procMaps(w.pid()).size() + " VMAs after "
                        + snap.vmas().size() + ": it has no known bound");
                assertEquals(bound, snap.vmas().size(), name + " stops at exactly its bound");
                List<String> proc = procMaps(w.pid()).stream().map(VmaSourceEquivalenceIT::normalized).toList();
                List<String> got = snap.toProcMaps().lines().map(VmaSourceEquivalenceIT::normalized).toList();
                assertEquals(proc.subList(0, bound), got, name + ": the truncated snapshot is /proc's first " + bound);
                return;
            }
            assertTrue(snap.vmas().size() > 3000, "VMAs: " + snap.vmas().size());
            assertSameAsProc(w.pid(), snap);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy", "bpf-iter", "procmap-query", "procfs"})
    void concurrentMapAndUnmapNeverTearsASnapshot(String name) throws Exception {
        VmaSource source = source(name);
        try (Workload w = Workload.start("map_churn")) {
            // With their paths: the workload lies on a mount of its own in the guests (the repository), which
            // legacy's names reach only up to that filesystem's root, placed under its mount by user space.
            Set<String> stable = procMaps(w.pid()).stream()
                    .filter(l -> l.contains("/map_churn") || l.contains("libc.so"))
                    .map(VmaSourceEquivalenceIT::normalized).collect(Collectors.toSet());
            for (int i = 0; i < 50; i++) {
                VmaSnapshot snap = source.snapshot(w.pid());
                List<Vma> v = snap.vmas();
                for (int j = 1; j < v.size(); j++) {
                    assertTrue(Long.compareUnsigned(v.get(j - 1).end(), v.get(j).start()) <= 0,
                            "snapshot " + i + " not sorted and disjoint at " + v.get(j - 1) + " / " + v.get(j));
                }
                Set<String> lines = new HashSet<>();
                v.forEach(x -> lines.add(x.toProcMapsLine()));
                assertEquals(v.size(), lines.size(), "duplicated entries in snapshot " + i);
                Set<String> kept = lines.stream().map(VmaSourceEquivalenceIT::normalized).collect(Collectors.toSet());
                assertTrue(kept.containsAll(stable), "stable mappings missing in snapshot " + i + " ("
                        + v.size() + " VMAs" + (snap.truncated() ? ", truncated" : "") + "): "
                        + stable.stream().filter(x -> !kept.contains(x)).toList());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy", "bpf-iter", "procmap-query", "procfs"})
    void exitedProcessIsGone(String name) throws Exception {
        VmaSource source = source(name);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThrows(ProcessGoneException.class, () -> source.snapshot((int) p.pid()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kfunc", "legacy", "bpf-iter", "procmap-query", "procfs"})
    void snapshotCarriesTheProcessIdentity(String name) throws Exception {
        VmaSource source = source(name);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            int pid = (int) sleeper.pid();
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            long startTime = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            VmaSnapshot snap = source.snapshot(pid);
            // With the pid, the start time tells a reused pid from the process that had it.
            assertEquals(startTime, snap.processStartTime());
            assertEquals(pid, snap.tgid());
            assertEquals(name, snap.source());
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** /proc/PID/maps without [vsyscall], which is not a VMA of the process's mm. */
    private static List<String> procMaps(int pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .filter(l -> !l.endsWith(" [vsyscall]")).toList();
    }

    /** A maps line with single spaces (/proc pads the inode column). */
    private static String normalized(String mapsLine) {
        return String.join(" ", mapsLine.trim().split("\\s+"));
    }

    private static void assertSameAsProc(int pid, VmaSnapshot snap) throws Exception {
        List<String> expected = procMaps(pid);
        List<String> actual = snap.toProcMaps().lines().toList();
        if (!expected.equals(actual)) {
            StringBuilder diff = new StringBuilder();
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                String e = i < expected.size() ? expected.get(i) : "<none>";
                String a = i < actual.size() ? actual.get(i) : "<none>";
                if (!e.equals(a)) {
                    diff.append("\n  /proc : ").append(e).append("\n  ").append(snap.source()).append(": ").append(a);
                    if (diff.length() > 2000) {
                        break;
                    }
                }
            }
            fail(snap.source() + " differs from /proc/" + pid + "/maps (" + expected.size() + " vs " + actual.size()
                    + " lines):" + diff);
        }
    }

    private static void waitUntilSleeping(int pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 200 && !Files.readString(stat).contains(") S "); i++) {
            Thread.sleep(10);
        }
    }

    /** The named source, or a skip with the kernel's reason for refusing it. */
    private VmaSource source(String name) throws Exception {
        return RunnableComponent.source(context, name);
    }
}
