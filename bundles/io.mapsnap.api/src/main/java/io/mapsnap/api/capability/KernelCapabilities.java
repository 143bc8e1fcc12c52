package io.mapsnap.api.capability;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running kernel's measured capabilities. Published by the kernel bundle once its probes have run; the
 * results do not change while the service is registered.
 */
@ProviderType
public interface KernelCapabilities {
    /** The kernel release, as {@code uname -r} prints it. */
    String kernelRelease();

    /**
     * The kernel's build, as {@code uname -v} prints it ({@code #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2}): two
     * builds of one release may carry different verifiers.
     */
    String kernelVersion();

    /** This boot's identity (/proc/sys/kernel/random/boot_id), empty when unreadable. */
    String bootId();

    /** The machine architecture, as {@code uname -m} prints it. */
    String machine();

    /** One result per {@link Capability}, in declaration order. */
    List<CapabilityResult> results();

    /** The result for one capability. */
    default CapabilityResult result(Capability capability) {
        return results().stream()
                .filter(r -> r.capability() == capability)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + capability.key()));
    }

    /** Whether the capability holds. */
    default boolean has(Capability capability) {
        return result(capability).available();
    }
}
