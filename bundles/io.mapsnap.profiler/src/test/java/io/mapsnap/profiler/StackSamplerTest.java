package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * find-vma variant's in-sample mappings are lines of its /proc/PID/maps and cover its frames.
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
