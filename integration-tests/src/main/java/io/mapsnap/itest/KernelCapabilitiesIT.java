package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.condition.Condition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;

/** The kernel bundle's capability service, as a consumer in Felix sees it, checked against the kernel's own files. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class KernelCapabilitiesIT {
    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @InjectBundleContext
    BundleContext context;

    @Test
    void releaseIsTheRunningKernels() throws Exception {
        String osrelease = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertEquals(osrelease, capabilities.kernelRelease());
    }

    @Test
    void buildAndBootAreTheRunningKernels() throws Exception {
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/version")).trim(), capabilities.kernelVersion());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim(), capabilities.bootId());
    }

    @Test
    void everyCapabilityHasOneResultInDeclarationOrder() {
        List<Capability> measured = capabilities.results().stream().map(CapabilityResult::capability).toList();
        assertEquals(Arrays.asList(Capability.values()), measured);
        for (CapabilityResult r : capabilities.results()) {
            assertFalse(r.evidence().isBlank(), r.capability().key() + " has no evidence");
        }
    }

    @Test
    void btfPresenceMatchesSysfs() {
        assertEquals(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), capabilities.has(Capability.KERNEL_BTF));
    }

    @Test
    void privilegesMatchProcStatus() throws Exception {
        long capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapEff:"))
                .map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
                .findFirst().orElseThrow();
        assertEquals((capEff & (1L << 39)) != 0, capabilities.has(Capability.PRIVILEGE_BPF));
        assertEquals((capEff & (1L << 38)) != 0, capabilities.has(Capability.PRIVILEGE_PERFMON));
        assertEquals((capEff & (1L << 21)) != 0, capabilities.has(Capability.PRIVILEGE_SYS_ADMIN));
    }

    @Test
    void oneConditionPerCapabilityThatHolds() throws Exception {
        for (CapabilityResult r : capabilities.results()) {
            String filter = "(osgi.condition.id=" + r.capability().conditionId() + ")";
            Collection<ServiceReference<Condition>> refs = context.getServiceReferences(Condition.class, filter);
            assertEquals(r.available() ? 1 : 0, refs.size(),
                    r.capability().key() + " available=" + r.available() + " but conditions: " + refs);
        }
        assertTrue(capabilities.results().stream().anyMatch(CapabilityResult::available),
                "no capability holds at all: the tests run as root on a BPF-capable kernel");
    }
}
