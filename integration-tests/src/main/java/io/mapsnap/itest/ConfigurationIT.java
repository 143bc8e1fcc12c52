package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.kernel.bpf.FaultInjection;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaCaptureException;

/**
 * The explicit choice through Configuration Admin: a configured source is used alone; one that cannot run here is
 * refused with the kernel's reason (never silently replaced); deleting the configuration
 * returns to the best source. Likewise the profiler's default collector.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ConfigurationIT {
    private static final String CACHE_PID = "io.mapsnap.profiler.cache";
    private static final String PROFILER_PID = "io.mapsnap.profiler";

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 10_000)
    ProcessMapCache cache;

    @AfterEach
    void deleteConfigurations() throws Exception {
        for (String pid : new String[] {CACHE_PID, PROFILER_PID}) {
            configurationAdmin.getConfiguration(pid, "?").delete();
        }
    }

    @Test
    void aConfiguredSourceIsUsedAloneAndDeletingItReturnsToTheBest() throws Exception {
        String best = await(() -> Optional.of(cache.activeSource()).filter(s -> !s.equals("none")));
        configure(CACHE_PID, "source", "procfs");
        await(() -> Optional.of(cache.activeSource()).filter("procfs"::equals));
        int self = (int) ProcessHandle.current().pid();
        assertEquals("procfs", cache.capture(self).source());
        configurationAdmin.getConfiguration(CACHE_PID, "?").delete();
        await(() -> Optional.of(cache.activeSource()).filter(best::equals));
    }

    /** Refused by the fault-injection switch, so it runs on every kernel. */
    @Test
    void aConfiguredSourceThatCannotRunIsRefusedWithTheKernelsWords(@InjectBundleContext BundleContext context)
            throws Exception {
        try (InjectedRefusal r = InjectedRefusal.of(context, "bpf_iter_vma_walker*", "io.mapsnap.bpfiter")) {
            configure(CACHE_PID, "source", "bpf-iter");
            int self = (int) ProcessHandle.current().pid();
            String message = await(() -> {
                try {
                    cache.capture(self);
                    return Optional.empty();
                } catch (VmaCaptureException e) {
                    return Optional.ofNullable(e.getMessage()).filter(m -> m.contains("cannot run here"));
                }
            });
            assertTrue(message.contains("bpf-iter: cannot run here: "), message);
            assertTrue(message.contains(FaultInjection.LOG_LINE), message);
        }
    }

    @Test
    void theProfilersConfiguredCollectorIsUsedWhenARequestNamesNone(
            @InjectService(timeout = 15_000) Profiler profiler) throws Exception {
        configure(PROFILER_PID, "collector", "procfs-async");
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        try {
            String collector = await(() -> {
                try {
                    Profile p = profiler.profile(new ProfileRequest(Set.of((int) busy.pid()), 0,
                            Duration.ofMillis(300), 99, null, false), x -> { });
                    return Optional.of(p.metadata().collector()).filter("procfs-async"::equals);
                } catch (Exception e) {
                    return Optional.empty();
                }
            });
            assertEquals("procfs-async", collector);
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void configure(String pid, String key, String value) throws Exception {
        Configuration c = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(key, value);
        c.update(props);
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    /** Configuration is delivered asynchronously: poll, with a deadline, until the probe sees the change. */
    private static <T> T await(Probe<T> probe) throws Exception {
        long limitMillis = TimeScale.millis(10_000);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the configuration did not take effect within " + limitMillis / 1000 + " s");
            }
            Thread.sleep(50);
        }
    }
}
