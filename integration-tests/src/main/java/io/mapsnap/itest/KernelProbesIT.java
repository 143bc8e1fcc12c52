package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;

/**
 * What the probes must find on each kernel mapsnap is tested on, from facts verified by hand on those kernels
 * (../shared/DESIGN.md and KERNELS.md). A probe that answers differently is a bug in the probe or a kernel that
 * changed under us: either way the test says which capability and shows the evidence.
 */
@ExtendWith(ServiceExtension.class)
class KernelProbesIT {
    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    /** Expected answers per kernel series; capabilities not listed are not asserted for that series. */
    static Map<Capability, Boolean> expectations(String series) {
        Map<Capability, Boolean> e = new LinkedHashMap<>();
        switch (series) {
            case "6.18" -> {
                e.put(Capability.KERNEL_BTF, true);
                e.put(Capability.BPF_LOAD, true);
                e.put(Capability.KFUNC_TASK_VMA_ITER, true);
                // The 2026 stable rework: -EBUSY with IRQs off, so never in a perf_event sample.
                e.put(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT, false);
                e.put(Capability.KFUNC_TASK_VMA_ITER_IN_PROCESS_CONTEXT, true);
                e.put(Capability.MM_MMAP_LIST, false);
                e.put(Capability.TASK_WORK_SCHEDULE, true);
                e.put(Capability.FENTRY, false); // this kernel restricts function tracing: EPERM
                e.put(Capability.BPF_ITER_TASK_VMA, true);
                e.put(Capability.BPF_FIND_VMA, true);
                e.put(Capability.PROCMAP_QUERY, true);
                e.put(Capability.HARDWARE_PMU, false); // a VM without a PMU
                e.put(Capability.RINGBUF, true);
                e.put(Capability.SCHED_EXIT_SEES_MM, true);
                e.put(Capability.PROCFS_MAPS, true);
            }
            case "6.12" -> {
                e.put(Capability.BPF_LOAD, true);
                e.put(Capability.KFUNC_TASK_VMA_ITER, true);
                e.put(Capability.KFUNC_TASK_VMA_ITER_IN_PROCESS_CONTEXT, true);
                e.put(Capability.MM_MMAP_LIST, false);
                e.put(Capability.BPF_ITER_TASK_VMA, true);
                e.put(Capability.BPF_FIND_VMA, true);
                e.put(Capability.PROCMAP_QUERY, true);
                e.put(Capability.RINGBUF, true);
            }
            case "6.1" -> {
                e.put(Capability.BPF_LOAD, true);
                e.put(Capability.KFUNC_TASK_VMA_ITER, false);
                e.put(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT, false);
                e.put(Capability.KFUNC_TASK_VMA_ITER_IN_PROCESS_CONTEXT, false);
                e.put(Capability.MM_MMAP_LIST, false);
                e.put(Capability.TASK_WORK_SCHEDULE, false);
                e.put(Capability.BPF_ITER_TASK_VMA, true);
                e.put(Capability.BPF_FIND_VMA, true);
                e.put(Capability.PROCMAP_QUERY, false);
                e.put(Capability.RINGBUF, true);
            }
            case "5.10" -> {
                e.put(Capability.BPF_LOAD, true);
                e.put(Capability.KFUNC_TASK_VMA_ITER, false);
                e.put(Capability.MM_MMAP_LIST, true);
                e.put(Capability.TASK_WORK_SCHEDULE, false);
                e.put(Capability.BPF_ITER_TASK_VMA, false);
                e.put(Capability.BPF_FIND_VMA, false);
                e.put(Capability.PROCMAP_QUERY, false);
                e.put(Capability.RINGBUF, true);
            }
            default -> { }
        }
        return e;
    }

    @Test
    void probesFindWhatThisKernelIsKnownToDo() {
        String release = capabilities.kernelRelease();
        String series = release.replaceFirst("^(\\d+\\.\\d+).*", "$1");
        Map<Capability, Boolean> expected = expectations(series);
        Assumptions.assumeFalse(expected.isEmpty(),
                () -> "no recorded expectations for kernel series " + series + " (" + release + ")");
        StringBuilder wrong = new StringBuilder();
        expected.forEach((c, want) -> {
            CapabilityResult r = capabilities.result(c);
            if (r.available() != want) {
                wrong.append("\n  ").append(c.key()).append(": expected ").append(want ? "yes" : "no")
                        .append(", probe says ").append(r.available() ? "yes" : "no").append(" — ").append(r.evidence());
            }
        });
        if (!wrong.isEmpty()) {
            fail("kernel " + release + ":" + wrong);
        }
    }

    @Test
    void perfEventRefusalCarriesTheErrno() {
        CapabilityResult r = capabilities.result(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT);
        Assumptions.assumeTrue(capabilities.has(Capability.KFUNC_TASK_VMA_ITER) && !r.available(),
                () -> "the kfunc iterator is usable in perf_event context here, or absent: " + r.evidence());
        // -EBUSY on the reworked stable kernels (IRQs disabled); the code is the evidence consumers read.
        assertEquals(-16L, r.returnCode(), r.evidence());
    }
}
