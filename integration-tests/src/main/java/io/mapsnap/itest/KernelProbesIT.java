package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.api.vma.ProcessMapCache;

/**
 * The capability ladder on this kernel, whatever its build: every component says whether it runs and, when it does
 * not, the kernel's words; the registry chooses the best that runs. An exact build recorded for the kernel matrix
 * (integration-tests/kernels/expectations) is also held to its record; any other build only to this consistency.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class KernelProbesIT {
    /** The components every run of the suite installs (itest.bndrun and guest.bndrun). */
    private static final List<String> SOURCES = List.of("kfunc", "legacy", "bpf-iter", "procmap-query", "procfs");
    private static final List<String> COLLECTORS = List.of("kfunc", "legacy", "procfs-async", "procfs-at-end");

    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @InjectService(timeout = 10_000)
    ProcessMapCache cache;

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyComponentTriesItsVariantsUntilOneRunsAndQuotesEachRefusal() throws Exception {
        for (ComponentStatus s : statuses()) {
            List<VariantVerdict> v = s.verdicts();
            // Variants are tried best first and the first accepted one runs: only the last may be accepted.
            for (int i = 0; i < v.size() - 1; i++) {
                assertFalse(v.get(i).accepted(), s.id() + ": a variant after an accepted one was tried: " + v);
            }
            for (VariantVerdict r : v) {
                assertFalse(r.reason().isBlank(), s.id() + "/" + r.variant() + " has no reason or evidence: " + r);
                if (!r.accepted() && RunnableComponent.bpfObject(r).isPresent() && r.errno() == null) {
                    // A BPF object refused at load has an errno; one refused by its own check says what failed.
                    assertTrue(r.reason().startsWith("loaded"), s.id() + "/" + r.variant() + ": " + r);
                }
            }
        }
    }

    @Test
    void everyInstalledComponentRegistersItsStatus() throws Exception {
        for (String name : SOURCES) {
            RunnableComponent.status(context, ComponentKind.SOURCE, name);
        }
        for (String name : COLLECTORS) {
            RunnableComponent.status(context, ComponentKind.COLLECTOR, name);
        }
        RunnableComponent.status(context, ComponentKind.SAMPLER, "perf-event");
    }

    /** The ladder at work: the process map cache uses the best-ranked source that runs here. */
    @Test
    void theCacheUsesTheBestRankedSourceThatRuns() throws Exception {
        everyInstalledComponentRegistersItsStatus();
        Optional<ComponentStatus> best = RunnableComponent.bestRunning(
                RunnableComponent.statuses(context, ComponentKind.SOURCE));
        assertTrue(best.isPresent(), "no source runs here: " + statuses());
        awaitActiveSource(best.get().name());
        assertEquals(best.get().name(), cache.activeSource(), "the cache chose another source than the best: "
                + statuses());
    }

    @Test
    void probesFindWhatThisBuildWasRecordedToDo() throws IOException {
        KernelExpectations expected = KernelExpectations.recordedFor(capabilities);
        StringBuilder wrong = new StringBuilder();
        expected.capabilities().forEach((c, want) -> {
            CapabilityResult r = capabilities.result(c);
            if (r.available() != want) {
                wrong.append("\n  ").append(c.key()).append(": recorded ").append(want ? "yes" : "no")
                        .append(", probe says ").append(r.available() ? "yes" : "no").append(" — ").append(r.evidence());
            }
        });
        if (!wrong.isEmpty()) {
            fail(expected + ":" + wrong);
        }
    }

    @Test
    void theRegistryChoosesTheSourceThisBuildWasRecordedWith() throws Exception {
        KernelExpectations expected = KernelExpectations.recordedFor(capabilities);
        String want = expected.bestSource().orElseThrow(() -> new AssertionError("no best-source in " + expected));
        awaitActiveSource(want);
        assertEquals(want, cache.activeSource(), expected + ": the cache chose another source");
    }

    @Test
    void perfEventRefusalCarriesTheErrno() {
        CapabilityResult r = capabilities.result(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT);
        Assumptions.assumeTrue(capabilities.has(Capability.KFUNC_TASK_VMA_ITER) && !r.available(),
                () -> "the kfunc iterator is usable in perf_event context here, or absent: " + r.evidence());
        // The code is the evidence consumers read: a negative errno (-EBUSY on the reworked stable kernels).
        assertTrue(r.returnCode() != null && r.returnCode() < 0, r.evidence());
        assertTrue(r.evidence().contains("(E"), r.evidence());
    }

    private List<ComponentStatus> statuses() {
        return RunnableComponent.statuses(context, null);
    }

    private void awaitActiveSource(String want) throws InterruptedException {
        // Sources register as their bundles' components activate; the cache moves up as better ones arrive.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TimeScale.millis(60_000));
        while (!cache.activeSource().equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
