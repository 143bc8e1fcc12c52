package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.kernel.bpf.BpfLoadException;

/**
 * The sampling program on this machine's kernel, against the kernel's own view: samples of a busy child carry its
 * pid, name and start time as /proc shows them, and its leaf addresses lie in its executable mappings; the
 * find-vma variant's in-sample mappings are lines of its /proc/PID/maps and cover its frames; the build-ID variant's
 * build IDs are those readelf reads from the files it maps.
 */
class StackSamplerTest {
    @Test
    void samplesOfABusyProcessMatchWhatProcShows() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(100);
            String stat = Files.readString(Path.of("/proc/" + busy.pid() + "/stat"));
            long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            List<String> execMaps = Files.readAllLines(Path.of("/proc/" + busy.pid() + "/maps")).stream()
                    .filter(l -> l.split(" +")[1].contains("x")).toList();
            List<StackSample> got = new CopyOnWriteArrayList<>();
            SamplerCounts counts;
            try (StackSampler sampler = StackSampler.start(StackSampler.FRAME_POINTERS, 199,
                    Set.of((int) busy.pid()), 0, true, got::add, c -> { })) {
                Thread.sleep(1500);
                sampler.close();
                counts = sampler.counts();
            }
            assertTrue(got.size() >= 50, "only " + got.size() + " samples of a busy process at 199 Hz in 1.5 s");
            assertEquals(counts.sampled(), got.size(), "every sample the program wrote was read");
            assertEquals(0, counts.lost());
            for (StackSample s : got) {
                assertEquals(busy.pid(), s.tgid());
                assertEquals("sh", s.comm());
                assertEquals(startTicks, s.startTimeClockTicks());
                assertTrue(s.mm() != 0);
            }
            long inExecutableMapping = got.stream().filter(s -> s.user().length > 0)
                    .filter(s -> execMaps.stream().anyMatch(l -> contains(l, s.user()[0]))).count();
            long withUserStack = got.stream().filter(s -> s.user().length > 0).count();
            // A sample taken in kernel mode (the timer tick itself) may carry only a kernel stack.
            assertTrue(withUserStack >= got.size() / 2, withUserStack + " of " + got.size() + " with a user stack");
            assertEquals(withUserStack, inExecutableMapping, "leaf addresses outside every executable mapping");
        } finally {
            busy.destroy();
        }
    }

    @Test
    void theFindVmaSamplersMappingsAreWhatProcShowsAndCoverEveryFrame() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(100);
            List<String> procMaps = Files.readAllLines(Path.of("/proc/" + busy.pid() + "/maps")).stream()
                    .map(l -> l.strip().replaceAll(" +", " ")).toList();
            List<StackSample> got = new CopyOnWriteArrayList<>();
            List<CollectedSnapshot> inSample = new CopyOnWriteArrayList<>();
            SamplerCounts counts;
            try (StackSampler sampler = startOrSkip(StackSampler.FIND_VMA, busy, got, inSample)) {
                Thread.sleep(1500);
                sampler.close();
                counts = sampler.counts();
            }
            FindVmaCounts f = counts.findVma();
            assertTrue(f != null, "the find-vma sampler reported no lookup counters");
            assertTrue(!inSample.isEmpty(), "no in-sample mappings for " + got.size() + " samples; " + f);
            List<Vma> vmas = inSample.stream().flatMap(c -> c.snapshot().vmas().stream()).toList();
            for (CollectedSnapshot c : inSample) {
                assertEquals(CaptureTrigger.IN_SAMPLE, c.trigger());
                assertEquals(busy.pid(), c.snapshot().tgid());
            }
            for (Vma v : vmas) {
                String line = v.toProcMapsLine().strip().replaceAll(" +", " ");
                assertTrue(procMaps.contains(line), "not in /proc/" + busy.pid() + "/maps: " + line + "\n"
                        + String.join("\n", procMaps));
            }
            // One lookup per sample finds the mappings one by one: once found, a mapping covers every later frame
            // in it, so after the first samples (the lookups that write them) every frame is covered but for
            // those whose lookup failed (counted).
            long frames = 0;
            long covered = 0;
            for (StackSample s : got.subList(Math.min(got.size(), 20), got.size())) {
                for (long a : StackSymbolization.callSites(s.user())) {
                    if (a < 0x10000 || Long.compareUnsigned(a, 1L << 56) >= 0) {
                        continue; // garbage from a frame-pointer walk through dash: no mapping can lie there
                    }
                    frames++;
                    if (vmas.stream().anyMatch(v -> v.contains(a))) {
                        covered++;
                    }
                }
            }
            System.out.printf("find-vma sampler: %d samples, %d user frames after the 20th, %d in in-sample"
                    + " mappings; %d snapshots of %d mappings; %s%n", got.size(), frames, covered, inSample.size(),
                    vmas.size(), f);
            assertTrue(frames > 0, "no user frames in " + got.size() + " samples");
            assertTrue(frames - covered <= f.busy() + f.missing() + f.recordsDropped(),
                    (frames - covered) + " of " + frames + " frames in no in-sample mapping; " + f);
            assertTrue(f.lookups() <= got.size(), "more lookups than samples: " + f);
            assertEquals(f.mappings(), vmas.size(), "mappings written and received differ; " + f);
        } finally {
            busy.destroy();
        }
    }

    /**
     * The task-work sampler, in the first of the kfunc's shapes this kernel accepts: a sample of a busy process
     * queues one whole walk into it, which equals its /proc/PID/maps (without [vsyscall], which is no VMA).
     */
    @Test
    void theTaskWorkSamplersDeferredWalkIsTheProcessMap() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(100);
            List<String> procMaps = Files.readAllLines(Path.of("/proc/" + busy.pid() + "/maps")).stream()
                    .filter(l -> !l.endsWith("[vsyscall]")).map(l -> l.strip().replaceAll(" +", " ")).toList();
            List<CollectedSnapshot> walks = new CopyOnWriteArrayList<>();
            SamplerCounts counts;
            try (StackSampler sampler = startFirstOrSkip(List.of(StackSampler.TASK_WORK, StackSampler.TASK_WORK_V1),
                    busy, new CopyOnWriteArrayList<>(), walks)) {
                Thread.sleep(1500);
                sampler.close();
                counts = sampler.counts();
            }
            TaskWorkCounts t = counts.taskWork();
            assertTrue(t != null, "the task-work sampler reported no counters");
            System.out.printf("task-work sampler: %d deferred walks delivered; %s%n", walks.size(), t);
            assertEquals(1, walks.size(), "one walk of an unchanging address space: " + t);
            CollectedSnapshot w = walks.getFirst();
            assertEquals(CaptureTrigger.DEFERRED, w.trigger());
            assertEquals(busy.pid(), w.snapshot().tgid());
            List<String> walked = w.snapshot().vmas().stream()
                    .map(v -> v.toProcMapsLine().strip().replaceAll(" +", " ")).toList();
            assertEquals(procMaps, walked, "the deferred walk is not /proc/" + busy.pid() + "/maps");
            assertEquals(1, t.queued());
            assertEquals(1, t.walks());
        } finally {
            busy.destroy();
        }
    }

    /**
     * The build-ID sampler's frames: every build ID the kernel gave is that of a file the process maps executable
     * (as readelf reads it from the file), the leaf's at an offset inside that file; a leaf it gave as an IP lies
     * in the process's executable mappings.
     */
    @Test
    void theBuildIdSamplersFramesAreBuildIdsOfTheMappedFiles() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(100);
            List<String> execMaps = Files.readAllLines(Path.of("/proc/" + busy.pid() + "/maps")).stream()
                    .filter(l -> l.split(" +")[1].contains("x")).toList();
            Map<String, Long> sizeByBuildId = new HashMap<>();
            for (String l : execMaps) {
                String[] f = l.split(" +", 6);
                if (f.length == 6 && f[5].startsWith("/")) {
                    Path file = Path.of(f[5]);
                    readelfBuildId(file).ifPresent(id -> sizeByBuildId.put(id, file.toFile().length()));
                }
            }
            assertTrue(!sizeByBuildId.isEmpty(), "readelf found no build ID in " + execMaps);
            List<StackSample> got = new CopyOnWriteArrayList<>();
            try (StackSampler sampler = startOrSkip(StackSampler.BUILD_ID, busy, got, new CopyOnWriteArrayList<>())) {
                Thread.sleep(1500);
            }
            long withBuildId = 0;
            long asIp = 0;
            long outsideFile = 0;
            for (StackSample s : got) {
                assertTrue(s.userBuildIds() != null, "a build-ID sampler's record without build IDs");
                for (int i = 0; i < s.user().length; i++) {
                    String id = s.userBuildIds()[i];
                    long v = s.user()[i];
                    if (id == null) {
                        asIp++;
                        continue;
                    }
                    withBuildId++;
                    assertTrue(sizeByBuildId.containsKey(id), "build ID " + id + " of no mapped file: "
                            + sizeByBuildId.keySet());
                    boolean inFile = v >= 0 && v < sizeByBuildId.get(id);
                    // The leaf is the sampled IP itself. Above it, a frame-pointer walk through dash (built
                    // without them) reads garbage, and the kernel gives a garbage IP below a mapping that
                    // mapping's build ID with an offset before its start (find_vma, no range check).
                    assertTrue(inFile || i > 0, "leaf offset 0x" + Long.toHexString(v)
                            + " outside the file with build ID " + id);
                    outsideFile += inFile ? 0 : 1;
                }
                if (s.user().length > 0 && s.userBuildIds()[0] == null) {
                    long leaf = s.user()[0];
                    assertTrue(execMaps.stream().anyMatch(l -> contains(l, leaf)), "leaf IP 0x"
                            + Long.toHexString(leaf) + " outside every executable mapping");
                }
            }
            System.out.printf("build-id sampler: %d samples, %d user frames with a build ID (%d of them garbage"
                    + " above the leaf, outside the file), %d as IPs%n", got.size(), withBuildId, outsideFile, asIp);
            assertTrue(got.size() >= 50, "only " + got.size() + " samples of a busy process at 199 Hz in 1.5 s");
            // dash's own pages run on every sample, so its first page (the build ID note) is resident.
            assertTrue(withBuildId > 0, "no frame with a build ID in " + got.size() + " samples");
        } finally {
            busy.destroy();
        }
    }

    /** The GNU build ID readelf -n prints for {@code file}. */
    private static Optional<String> readelfBuildId(Path file) throws Exception {
        Process p = new ProcessBuilder("readelf", "-n", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "readelf -n " + file + ": " + out);
        return out.lines().map(String::strip).filter(l -> l.startsWith("Build ID: "))
                .map(l -> l.substring("Build ID: ".length())).findFirst();
    }

    /** Starts the first of {@code variants} this kernel accepts on {@code busy}, or skips with every refusal. */
    private static StackSampler startFirstOrSkip(List<io.mapsnap.kernel.program.ProgramVariant> variants,
            Process busy, List<StackSample> samples, List<CollectedSnapshot> maps) throws Exception {
        List<String> refusals = new java.util.ArrayList<>();
        for (var v : variants) {
            try {
                return StackSampler.start(v, 199, Set.of((int) busy.pid()), 0, true, samples::add, maps::add);
            } catch (BpfLoadException e) {
                refusals.add(v.name() + ": " + e.refusal());
            }
        }
        Assumptions.abort("no variant can run here: " + refusals);
        throw new AssertionError();
    }

    /** Starts {@code variant} on {@code busy}, or skips with the kernel's words where this kernel refuses it. */
    private static StackSampler startOrSkip(io.mapsnap.kernel.program.ProgramVariant variant, Process busy,
            List<StackSample> samples, List<CollectedSnapshot> inSample) throws Exception {
        try {
            return StackSampler.start(variant, 199, Set.of((int) busy.pid()), 0, true, samples::add, inSample::add);
        } catch (BpfLoadException e) {
            Assumptions.abort(variant.name() + " sampler cannot run here: " + e.refusal());
            throw e;
        }
    }

    @Test
    void aFilteredSamplerSeesNothingOfOtherProcesses() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            List<StackSample> got = new CopyOnWriteArrayList<>();
            try (StackSampler sampler = StackSampler.start(StackSampler.FRAME_POINTERS, 199,
                    Set.of(Integer.MAX_VALUE - 1), 0, true, got::add, c -> { })) {
                Thread.sleep(500);
            }
            assertTrue(got.isEmpty(), got.size() + " samples of processes outside the filter");
        } finally {
            busy.destroy();
        }
    }

    private static boolean contains(String mapsLine, long address) {
        String[] range = mapsLine.split(" ")[0].split("-");
        return Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
                && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0;
    }
}
