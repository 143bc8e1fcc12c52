package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** perf_event_open through the raw syscall binding. */
class PerfEventTest {
    @Test
    void cpuClockOpensPerCpuAndForThisProcess() throws Exception {
        List<PerfEvent> events = PerfEvent.openCpuClockOnEachCpu(1000);
        try {
            assertEquals(PerfEvent.onlineCpus().size(), events.size());
            events.forEach(e -> assertTrue(e.fd() >= 0));
        } finally {
            events.forEach(PerfEvent::close);
        }
        try (PerfEvent self = PerfEvent.openCpuClock(TestObjects.pid(), -1, 99)) {
            assertEquals(PerfEvent.TYPE_SOFTWARE, self.type());
        }
    }

    @Test
    void hardwareCyclesAreMissingInThisVm() {
        // This host is a Firecracker VM without a PMU: the kernel has no PERF_TYPE_HARDWARE PMU to give.
        BpfException e = assertThrows(BpfException.class, () -> PerfEvent.openHardwareCycles(-1, 0, 1000).close());
        System.out.println("hardware cycles: " + e.getMessage());
        assertEquals("perf_event_open", e.call());
        assertTrue(Set.of("ENOENT", "EOPNOTSUPP").contains(e.errnoName()), e.getMessage());
    }

    @Test
    void badArgumentsReportEinval() {
        // pid -1 and cpu -1 together ("every task on every CPU") is invalid.
        BpfException e = assertThrows(BpfException.class, () -> PerfEvent.openCpuClock(-1, -1, 1000).close());
        assertEquals("EINVAL", e.errnoName());
    }
}
