package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.vma.ProcessMapCache;

/**
 * What the probes must find on each kernel mapsnap is tested on, from facts verified by hand on those kernels
 * (../shared/DESIGN.md and KERNELS.md), recorded in integration-tests/kernels/expectations. A probe that answers differently is a bug in the probe or a kernel that
 * changed under us: either way the test says which capability and shows the evidence.
 */
@ExtendWith(ServiceExtension.class)
class KernelProbesIT {
    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @InjectService(timeout = 10_000)
    ProcessMapCache cache;

    @Test
    void probesFindWhatThisKernelIsKnownToDo() throws IOException {
        KernelExpectations expected = KernelExpectations.recordedFor(capabilities);
        StringBuilder wrong = new StringBuilder();
        expected.capabilities().forEach((c, want) -> {
            CapabilityResult r = capabilities.result(c);
            if (r.available() != want) {
                wrong.append("\n  ").append(c.key()).append(": expected ").append(want ? "yes" : "no")
                        .append(", probe says ").append(r.available() ? "yes" : "no").append(" — ").append(r.evidence());
            }
        });
        if (!wrong.isEmpty()) {
            fail(expected + ":" + wrong);
        }
    }

    /** The ladder at work: of the sources registered, the process map cache uses the one this kernel should get. */
    @Test
    void theRegistryChoosesThisKernelsBestSource() throws Exception {
        KernelExpectations expected = KernelExpectations.recordedFor(capabilities);
        String want = expected.bestSource().orElseThrow(() -> new AssertionError("no best-source in " + expected));
        // Sources register as their bundles' components activate; the cache moves up as better ones arrive.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!cache.activeSource().equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(want, cache.activeSource(), expected + ": the cache chose another source");
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
