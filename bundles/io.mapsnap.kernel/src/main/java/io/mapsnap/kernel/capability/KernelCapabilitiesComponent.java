package io.mapsnap.kernel.capability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.condition.Condition;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.kernel.internal.release.KernelRelease;

/**
 * Runs every capability probe once at activation, publishes the results as the {@link KernelCapabilities}
 * service, and registers one OSGi Condition per capability that holds ({@code osgi.condition.id=mapsnap.<key>})
 * for bundles that want to wait on a fact.
 */
@Component(service = KernelCapabilities.class, immediate = true)
public final class KernelCapabilitiesComponent implements KernelCapabilities {
    private final String release;
    private final String version;
    private final String bootId;
    private final String machine;
    private final List<CapabilityResult> results;
    private final List<ServiceRegistration<Condition>> conditions = new ArrayList<>();

    @Activate
    public KernelCapabilitiesComponent(BundleContext bundleContext) {
        this(Path.of("/proc"), Path.of("/sys"));
        for (CapabilityResult r : results) {
            if (r.available()) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put(Condition.CONDITION_ID, r.capability().conditionId());
                props.put("mapsnap.evidence", r.evidence());
                conditions.add(bundleContext.registerService(Condition.class, Condition.INSTANCE, props));
            }
        }
    }

    KernelCapabilitiesComponent(Path procRoot, Path sysRoot) {
        this.release = KernelRelease.read(procRoot);
        this.version = readOrEmpty(procRoot.resolve("sys/kernel/version"));
        this.bootId = readOrEmpty(procRoot.resolve("sys/kernel/random/boot_id"));
        this.machine = readMachine(procRoot);
        ProcessPrivileges privileges;
        try {
            privileges = ProcessPrivileges.read(procRoot.resolve("self"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's privileges", e);
        }
        ProbeContext context = new ProbeContext(procRoot, sysRoot, privileges);
        Map<Capability, CapabilityResult> byCapability = new EnumMap<>(Capability.class);
        for (CapabilityProbe probe : CapabilityProbes.all()) {
            byCapability.put(probe.capability(), probe.probe(context));
        }
        List<CapabilityResult> list = new ArrayList<>();
        for (Capability c : Capability.values()) {
            CapabilityResult r = byCapability.get(c);
            if (r == null) {
                throw new IllegalStateException("no probe measures " + c.key());
            }
            list.add(r);
        }
        this.results = List.copyOf(list);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Condition> registration : conditions) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregisters a stopping bundle's services itself.
            }
        }
        conditions.clear();
    }

    @Override
    public String kernelRelease() {
        return release;
    }

    @Override
    public String kernelVersion() {
        return version;
    }

    @Override
    public String bootId() {
        return bootId;
    }

    @Override
    public String machine() {
        return machine;
    }

    @Override
    public List<CapabilityResult> results() {
        return results;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String readMachine(Path procRoot) {
        Path arch = procRoot.resolve("sys/kernel/arch");
        try {
            if (Files.isReadable(arch)) {
                return Files.readString(arch).trim();
            }
        } catch (IOException e) {
            // /proc/sys/kernel/arch appeared in 6.1; older kernels fall through to the JVM's view.
        }
        String jvm = System.getProperty("os.arch");
        return jvm.equals("amd64") ? "x86_64" : jvm;
    }
}
