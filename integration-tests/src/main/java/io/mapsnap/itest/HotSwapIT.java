package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * Swapping collectors at runtime: with the map cache running and capturing, the best walker's bundle is stopped
 * and started, updated, uninstalled and reinstalled. The cache must move to the next-ranked source and back
 * without a restart, and keep every snapshot it already holds.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HotSwapIT {
    // Under emulation a round costs about two seconds: the guests of the kernel matrix run ten rounds of the
    // same swap, on their own kernel's best source, and the host runs the hundred.
    private static final int ROUNDS = TimeScale.emulated() ? 10 : 100;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ProcessMapCache cache;

    @Test
    void stopAndStartTheBestWalkerRepeatedlyWhileCapturing() throws Exception {
        String best = waitForAnySource();
        Bundle walker = bundleOf(best);
        assertNotEquals(0, walker.getBundleId(), "the best source must come from a bundle we can stop");
        String fallback = bestSourceOutside(walker).orElse(null);
        Assumptions.assumeTrue(fallback != null, () -> "every source that runs here is in " + walker.getSymbolicName()
                + ": stopping it leaves nothing to fall back to");
        List<Process> processes = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong background = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Process steady = new ProcessBuilder("sleep", "600").start();
        // A consumer that keeps capturing while the sources come and go must never see an error.
        Thread capturer = Thread.ofPlatform().name("hotswap-capturer").start(() -> {
            while (!stop.get()) {
                try {
                    cache.capture((int) steady.pid());
                    background.incrementAndGet();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    return;
                }
            }
        });
        try {
            for (int i = 0; i < 200 && background.get() == 0 && failure.get() == null; i++) {
                Thread.sleep(10);
            }
            int baseline = cache.size(); // includes the steady process, captured once and replaced since
            for (int round = 0; round < ROUNDS; round++) {
                Process p = new ProcessBuilder("sleep", "600").start();
                processes.add(p);
                VmaSnapshot before = cache.capture((int) p.pid());
                assertEquals(best, before.source(), "round " + round);
                walker.stop();
                String next = cache.activeSource();
                assertEquals(fallback, next, "round " + round + ": not the best source left");
                assertEquals(next, cache.capture((int) p.pid()).source(), "round " + round);
                walker.start();
                waitForSource(best, "round " + round);
                // One new process per round; its second capture replaced its first: nothing else may change.
                assertEquals(baseline + round + 1, cache.size(), "round " + round + ": snapshots lost in the swap");
                assertTrue(cache.cached(before.tgid(), before.processStartTime()).isPresent(), "round " + round);
            }
        } finally {
            stop.set(true);
            capturer.join(10_000);
            steady.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            for (Process p : processes) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (walker.getState() != Bundle.ACTIVE) {
                walker.start();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a capture failed during the swaps after " + background.get() + " captures",
                    failure.get());
        }
        assertTrue(background.get() > ROUNDS, "the background consumer captured only " + background.get() + " times");
        assertTrue(cache.snapshotsBySource().keySet().size() >= 2, "sources used: " + cache.snapshotsBySource());
    }

    @Test
    void updateAndReinstallMoveTheCacheAwayAndBack() throws Exception {
        String best = waitForAnySource();
        Bundle walker = bundleOf(best);
        Process p = new ProcessBuilder("sleep", "600").start();
        try {
            VmaSnapshot kept = cache.capture((int) p.pid());
            byte[] jar = jarOf(walker);
            walker.update(new ByteArrayInputStream(jar));
            waitForSource(best, "after update");
            assertEquals(best, cache.capture((int) p.pid()).source());

            String location = walker.getLocation();
            walker.uninstall();
            assertNotEquals(best, cache.activeSource(), "still bound to an uninstalled bundle's source");
            // Not through the injected context: org.osgi.test uninstalls what a test installs with it.
            Bundle again = FrameworkUtil.getBundle(HotSwapIT.class).getBundleContext().installBundle(location,
                    new ByteArrayInputStream(jar));
            again.start();
            waitForSource(best, "after reinstall");
            assertEquals(best, cache.capture((int) p.pid()).source());
            assertTrue(cache.cached(kept.tgid(), kept.processStartTime()).isPresent(), "snapshot lost");
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The best collector forced off in the middle of a profile (its objects refused, its bundle restarted): the
     * running collection keeps going on the programs it loaded, no sample is lost, and the next profile takes the next
     * best collector that runs.
     */
    @Test
    void aForcedFallbackDuringAProfileLosesNoSample(@InjectService(timeout = 15_000) Profiler profiler)
            throws Exception {
        List<ComponentStatus> collectors = RunnableComponent.statuses(context, ComponentKind.COLLECTOR).stream()
                .filter(ComponentStatus::available).sorted(Comparator.comparingInt(ComponentStatus::ranking).reversed())
                .toList();
        ComponentStatus best = collectors.get(0);
        String objects = best.verdicts().stream().map(RunnableComponent::bpfObject).flatMap(Optional::stream)
                .collect(Collectors.joining(","));
        Assumptions.assumeFalse(objects.isEmpty(), () -> "the best collector here (" + best.name()
                + ") loads no BPF object: there is nothing to force off");
        String bundle = RunnableComponent.statusReference(context, ComponentKind.COLLECTOR, best.name()).getBundle()
                .getSymbolicName();
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Profile> running = ex.submit(() -> profiler.profile(new ProfileRequest(Set.of((int) busy.pid()), 0,
                    TimeScale.of(Duration.ofSeconds(3)), 199, null, true), x -> { }));
            Thread.sleep(TimeScale.millis(1000));
            try (InjectedRefusal r = InjectedRefusal.of(context, objects, bundle)) {
                Profile during = running.get(TimeScale.millis(60_000), TimeUnit.MILLISECONDS);
                assertEquals(best.name(), during.metadata().collector());
                assertTrue(during.metadata().samples() > 0, "no samples");
                assertEquals(0L, during.metadata().counters().get("samples.lost"), "samples lost in the swap");
                assertEquals(0L, during.metadata().counters().get("samples.malformed"));
                Profile after = profiler.profile(new ProfileRequest(Set.of((int) busy.pid()), 0,
                        TimeScale.of(Duration.ofMillis(500)), 199, null, true), x -> { });
                assertNotEquals(best.name(), after.metadata().collector(), "the refused collector is still used");
                assertEquals(collectors.get(1).name(), after.metadata().collector(), "not the next best collector");
                assertTrue(after.metadata().samples() > 0, "no samples after the fallback");
            }
        } finally {
            ex.shutdownNow();
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String waitForAnySource() throws InterruptedException {
        for (long i = 0; i < TimeScale.millis(200) && cache.activeSource().equals("none"); i++) {
            Thread.sleep(50);
        }
        String s = cache.activeSource();
        assertNotEquals("none", s, "no VMA source became active");
        return s;
    }

    private void waitForSource(String name, String when) throws InterruptedException {
        for (long i = 0; i < TimeScale.millis(200); i++) {
            if (cache.activeSource().equals(name)) {
                return;
            }
            Thread.sleep(25);
        }
        fail(when + ": the cache did not move back to " + name + " (active: " + cache.activeSource() + ")");
    }

    /**
     * The bundle's jar. bnd-testing installs bundles from URLs; the executable jar of the kernel matrix's guests
     * (guest.bndrun) installs them from entries of its own jar, whose paths the location then names.
     */
    private static byte[] jarOf(Bundle bundle) throws IOException {
        String location = bundle.getLocation().replaceFirst("^reference:", "");
        if (URI.create(location).isAbsolute()) {
            try (InputStream in = URI.create(location).toURL().openStream()) {
                return in.readAllBytes();
            }
        }
        if (Path.of(location).isAbsolute()) {
            return Files.readAllBytes(Path.of(location));
        }
        try (InputStream in = ClassLoader.getSystemResourceAsStream(location)) {
            if (in == null) {
                throw new IOException("cannot read bundle " + bundle.getSymbolicName() + " from " + location);
            }
            return in.readAllBytes();
        }
    }

    /** The best-ranked source that runs here and lives in another bundle than {@code bundle}. */
    private Optional<String> bestSourceOutside(Bundle bundle) throws Exception {
        List<ComponentStatus> elsewhere = new ArrayList<>();
        for (ComponentStatus s : RunnableComponent.statuses(context, ComponentKind.SOURCE)) {
            if (RunnableComponent.statusReference(context, ComponentKind.SOURCE, s.name()).getBundle()
                    .getBundleId() != bundle.getBundleId()) {
                elsewhere.add(s);
            }
        }
        return RunnableComponent.bestRunning(elsewhere).map(ComponentStatus::name);
    }

    private Bundle bundleOf(String source) throws Exception {
        for (ServiceReference<VmaSource> ref : context.getServiceReferences(VmaSource.class,
                "(" + VmaSource.SOURCE_PROPERTY + "=" + source + ")")) {
            return ref.getBundle();
        }
        throw new AssertionError("no registered source " + source);
    }
}
