package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.vma.SourceRequirement;

/**
 * A source or collector looked up by name the way the runtime offers it: registered exactly while the capability it
 * needs holds. On a kernel without that capability the test is skipped with the probe's evidence (the kernel matrix
 * runs it on the kernels that have it); where the capability holds, the service must appear.
 */
final class CapableService {
    private CapableService() {
    }

    static <T> T await(BundleContext context, KernelCapabilities capabilities, Class<T> type, String nameProperty,
            SourceRequirement requirement) throws Exception {
        String name = requirement.source();
        CapabilityResult cap = capabilities.result(requirement.capability());
        Assumptions.assumeTrue(cap.available(), () -> name + " cannot run on kernel " + capabilities.kernelRelease()
                + ": " + cap.capability().key() + " does not hold (" + cap.evidence()
                + "); the kernel matrix runs it on the kernels that have it");
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter("(&(objectClass="
                + type.getName() + ")(" + nameProperty + "=" + name + "))"), null);
        tracker.open();
        T service = tracker.waitForService(TimeScale.millis(10_000));
        if (service == null) {
            fail("capability " + cap.capability().key() + " holds but " + name + " was not registered");
        }
        return service;
    }
}
