package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/**
 * The sampling program on this machine's kernel, against the kernel's own view: samples of a busy child carry its
 * pid, name and start time as /proc shows them, and its leaf addresses lie in its executable mappings.
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
            try (StackSampler sampler = StackSampler.start(199, Set.of((int) busy.pid()), 0, true, got::add)) {
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
    void aFilteredSamplerSeesNothingOfOtherProcesses() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            List<StackSample> got = new CopyOnWriteArrayList<>();
            try (StackSampler sampler = StackSampler.start(199, Set.of(Integer.MAX_VALUE - 1), 0, true, got::add)) {
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
