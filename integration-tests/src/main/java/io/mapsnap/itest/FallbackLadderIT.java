package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.api.profile.ComponentRefusedException;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.api.vma.VmaSource;

/**
 * The whole fallback ladder on any kernel, with the fault-injection switch ({@code mapsnap.refuse}) refusing
 * programs as the verifier would: a refused variant hands over to the next that loads, a refused rung hands over to
 * the next rung, and with every BPF walker and collector refused the toolkit still works from /proc. What must
 * follow comes from what runs: each step is held to the best-ranked component that runs after it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class FallbackLadderIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ProcessMapCache cache;

    /**
     * The running variant of each BPF component refused in turn: the next variant runs, or the component leaves. A
     * profile then samples with the sampler variant that runs.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"source/kfunc", "source/bpf-iter", "source/legacy", "collector/kfunc",
            "collector/legacy", "sampler/perf-event"})
    void aRefusedVariantHandsOverToTheNextOrTheComponentLeaves(String id) throws Exception {
        ComponentKind kind = id.startsWith("source/") ? ComponentKind.SOURCE
                : id.startsWith("sampler/") ? ComponentKind.SAMPLER : ComponentKind.COLLECTOR;
        String name = id.substring(id.indexOf('/') + 1);
        ServiceReference<ComponentStatus> ref = statusRef(kind, name);
        ComponentStatus before = context.getService(ref);
        Assumptions.assumeTrue(before.available(), () -> id + " does not run here (" + before.refusal()
                + "): there is nothing to refuse; the kernel matrix refuses it where it runs");
        VariantVerdict running = before.running().orElseThrow();
        String bundle = ref.getBundle().getSymbolicName();
        try (InjectedRefusal r = InjectedRefusal.of(context, object(running), bundle)) {
            ComponentStatus after = context.getService(statusRef(kind, name));
            List<VariantVerdict> v = after.verdicts();
            VariantVerdict refused = v.stream().filter(x -> x.variant().equals(running.variant())).findFirst()
                    .orElseThrow(() -> new AssertionError(id + ": the refused variant was not tried: " + v));
            assertFalse(refused.accepted(), id + ": " + refused);
            assertTrue(refused.injected(), id + ": the refusal is not the injected one: " + refused);
            if (after.available()) {
                int ran = v.indexOf(after.running().orElseThrow());
                assertTrue(ran > v.indexOf(refused), id + ": ran a variant before the refused one: " + v);
            } else {
                assertTrue(v.stream().noneMatch(VariantVerdict::accepted), id + ": " + v);
                assertFalse(after.refusal().isBlank(), id + ": refused without words");
                assertEquals(0, services(kind, name).length, id + " refused but its service is still registered");
            }
            if (kind == ComponentKind.SOURCE) {
                assertCacheUsesTheBest();
            }
            if (kind == ComponentKind.SAMPLER && after.available()) {
                assertTheProfileSamplesWith(after.running().orElseThrow().variant());
            }
        }
        // Cleared: the component is back as it was.
        assertEquals(before.running().map(VariantVerdict::variant),
                context.getService(statusRef(kind, name)).running().map(VariantVerdict::variant));
    }

    /** Rung after rung refused: the cache steps down the ladder, each time to the best source left. */
    @Test
    void refusingEachRungInTurnWalksTheLadderDownToProcfs() throws Exception {
        InjectedRefusal refusal = null;
        try {
            while (true) {
                List<ComponentStatus> sources = statuses(ComponentKind.SOURCE);
                ComponentStatus best = bestRunning(ComponentKind.SOURCE).orElseThrow(() -> new AssertionError(
                        "no source runs: " + sources));
                awaitActiveSource(best.name());
                assertEquals(best.name(), cache.activeSource());
                if (!loadsBpf(best)) {
                    break; // a procfs rung: no BPF left to refuse
                }
                // Refuse the variant that runs until none does: variants after it were never tried, so each
                // refusal may bring the next one up.
                String bundle = statusRef(ComponentKind.SOURCE, best.name()).getBundle().getSymbolicName();
                ComponentStatus now = best;
                for (int guard = 0; now.available(); guard++) {
                    assertTrue(guard < 10, best.name() + " keeps running: " + now);
                    String running = object(now.running().orElseThrow());
                    refusal = refusal == null ? InjectedRefusal.of(context, running, bundle)
                            : refusal.andRefuse(running, bundle);
                    now = context.getService(statusRef(ComponentKind.SOURCE, best.name()));
                }
                assertTrue(now.verdicts().stream().allMatch(v -> !v.accepted()), now.toString());
            }
            assertTrue(Set.of("procmap-query", "procfs").contains(cache.activeSource()), cache.activeSource());
        } finally {
            if (refusal != null) {
                refusal.close();
            }
        }
    }

    /** Every BPF walker and collector refused: procfs sources, the procfs-async collector, and a whole profile. */
    @Test
    void withEveryBpfRungRefusedTheProfilerStillCompletesFromProc(
            @InjectService(timeout = 15_000) Profiler profiler) throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try (InjectedRefusal r = InjectedRefusal.of(context, "*_vma_walker*,*_vma_collector*", "io.mapsnap.iter",
                "io.mapsnap.bpfiter", "io.mapsnap.legacy")) {
            for (ComponentKind kind : List.of(ComponentKind.SOURCE, ComponentKind.COLLECTOR)) {
                for (ComponentStatus s : statuses(kind)) {
                    assertTrue(!loadsBpf(s) || !s.available(), s.id() + " runs although every BPF rung is refused: " + s);
                }
            }
            ComponentStatus best = bestRunning(ComponentKind.SOURCE).orElseThrow();
            awaitActiveSource(best.name());
            assertEquals(best.name(), cache.activeSource());
            Profile p = profiler.profile(new ProfileRequest(Set.of((int) busy.pid()), 0,
                    TimeScale.of(Duration.ofSeconds(1)), 199, null, true), x -> { });
            assertEquals(bestRunning(ComponentKind.COLLECTOR).orElseThrow().name(), p.metadata().collector());
            assertEquals("procfs-async", p.metadata().collector());
            assertTrue(p.metadata().samples() > 0, "no samples of a busy loop");
            // Drops are counted, never silent: the counters are there (and here, with one busy process, zero).
            assertEquals(0L, p.metadata().counters().get("samples.lost"));
            assertTrue(p.metadata().counters().containsKey("collector.lost-records"));
            assertTrue(p.stacks().stream().anyMatch(s -> s.tgid() == busy.pid()), "no stack of the busy process");
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The sampler's variants refused one after another: each time the next runs and a profile samples with it, until
     * none is left; then the sampler has left with the kernel's (here the switch's) words, and a profile ends with
     * "cannot run here", not a stack trace.
     */
    @Test
    void refusingEverySamplerVariantInTurnEndsInCannotRunHere() throws Exception {
        ServiceReference<ComponentStatus> ref = statusRef(ComponentKind.SAMPLER, "perf-event");
        ComponentStatus now = context.getService(ref);
        Assumptions.assumeTrue(now.available(), () -> "the sampler does not run here: " + now.refusal());
        String bundle = ref.getBundle().getSymbolicName();
        InjectedRefusal refusal = null;
        List<String> ran = new ArrayList<>();
        try {
            ComponentStatus status = now;
            for (int guard = 0; status.available(); guard++) {
                assertTrue(guard < 10, "the sampler keeps running: " + status);
                VariantVerdict running = status.running().orElseThrow();
                ran.add(running.variant());
                assertTheProfileSamplesWith(running.variant());
                refusal = refusal == null ? InjectedRefusal.of(context, object(running), bundle)
                        : refusal.andRefuse(object(running), bundle);
                status = context.getService(statusRef(ComponentKind.SAMPLER, "perf-event"));
            }
            assertTrue(status.verdicts().stream().noneMatch(VariantVerdict::accepted), status.toString());
            assertFalse(status.refusal().isBlank(), "refused without words: " + status);
            ServiceTracker<Profiler, Profiler> t = new ServiceTracker<>(context, Profiler.class, null);
            t.open();
            try {
                Profiler profiler = t.waitForService(TimeScale.millis(15_000));
                assertTrue(profiler != null, "no profiler once every sampler variant was refused");
                ComponentRefusedException e = assertThrows(
                        ComponentRefusedException.class, () -> profiler.profile(new ProfileRequest(Set.of(), 0,
                                Duration.ofSeconds(1), 99, null, true), x -> { }));
                assertTrue(e.getMessage().startsWith("sampler perf-event: cannot run here: "), e.getMessage());
            } finally {
                t.close();
            }
            System.out.println("sampler variants run in turn, each refused after: " + ran);
        } finally {
            if (refusal != null) {
                refusal.close();
            }
        }
    }

    /**
     * A short profile of a busy process samples with {@code variant}: in-sample mappings exactly with find-vma,
     * deferred walks exactly with task-work, frames with build IDs exactly with build-id.
     */
    private void assertTheProfileSamplesWith(String variant) throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        ServiceTracker<Profiler, Profiler> t = new ServiceTracker<>(
                context, Profiler.class, null);
        t.open();
        try {
            Profiler profiler = t.waitForService(TimeScale.millis(15_000));
            assertTrue(profiler != null, "no profiler after the sampler's bundle restarted");
            Profile p = profiler.profile(new ProfileRequest(Set.of((int) busy.pid()), 0,
                    TimeScale.of(Duration.ofSeconds(1)), 199, null, true), x -> { });
            assertTrue(p.metadata().samples() > 0, "no samples of a busy loop with sampler " + variant);
            assertEquals(variant.equals("find-vma"), p.metadata().counters().containsKey("sampler.find-vma.lookups"),
                    "sampler " + variant + " runs, but the profile's counters say otherwise: "
                            + p.metadata().counters());
            assertEquals(variant.startsWith("task-work"),
                    p.metadata().counters().containsKey("sampler.task-work.walks"),
                    "sampler " + variant + " runs, but the profile's counters say otherwise: "
                            + p.metadata().counters());
            assertEquals(variant.equals("build-id"), p.metadata().counters().containsKey("frames.user.build-id"),
                    "sampler " + variant + " runs, but the profile's counters say otherwise: "
                            + p.metadata().counters());
        } finally {
            t.close();
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void assertCacheUsesTheBest() throws Exception {
        ComponentStatus best = bestRunning(ComponentKind.SOURCE).orElseThrow();
        awaitActiveSource(best.name());
        assertEquals(best.name(), cache.activeSource(), "not the best source that runs: "
                + statuses(ComponentKind.SOURCE));
    }

    /** The object a BPF verdict tried, as the switch names it. */
    private static String object(VariantVerdict v) {
        return RunnableComponent.bpfObject(v).orElseThrow(() -> new AssertionError("not a BPF variant: " + v));
    }

    private static boolean loadsBpf(ComponentStatus s) {
        return s.verdicts().stream().anyMatch(v -> RunnableComponent.bpfObject(v).isPresent());
    }

    private Optional<ComponentStatus> bestRunning(ComponentKind kind) {
        return RunnableComponent.bestRunning(statuses(kind));
    }

    private List<ComponentStatus> statuses(ComponentKind kind) {
        return RunnableComponent.statuses(context, kind);
    }

    private ServiceReference<ComponentStatus> statusRef(ComponentKind kind, String name) throws Exception {
        return RunnableComponent.statusReference(context, kind, name);
    }

    private ServiceReference<?>[] services(ComponentKind kind, String name) throws Exception {
        String property = kind == ComponentKind.SOURCE ? VmaSource.SOURCE_PROPERTY : VmaCollector.COLLECTOR_PROPERTY;
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(" + property + "=" + name + ")");
        return refs == null ? new ServiceReference<?>[0] : refs;
    }

    private void awaitActiveSource(String want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TimeScale.millis(30_000));
        while (!cache.activeSource().equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
