package io.mapsnap.kernel.capability;

import static io.mapsnap.api.capability.CapabilityResult.holds;
import static io.mapsnap.api.capability.CapabilityResult.missing;

import java.util.List;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.kernel.internal.release.KernelRelease;

/** Capabilities of the process itself: CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN and the memlock limit. */
final class PrivilegeProbes {
    private PrivilegeProbes() {
    }

    static List<CapabilityProbe> all() {
        return List.of(
                capabilityBit(Capability.PRIVILEGE_BPF, ProcessPrivileges.CAP_BPF, "CAP_BPF"),
                capabilityBit(Capability.PRIVILEGE_PERFMON, ProcessPrivileges.CAP_PERFMON, "CAP_PERFMON"),
                capabilityBit(Capability.PRIVILEGE_SYS_ADMIN, ProcessPrivileges.CAP_SYS_ADMIN, "CAP_SYS_ADMIN"),
                memlock());
    }

    private static CapabilityProbe capabilityBit(Capability capability, int bit, String name) {
        return new CapabilityProbe(capability, context -> {
            ProcessPrivileges p = context.privileges();
            String evidence = String.format("CapEff=%016x: %s %s", p.effective(), name, p.has(bit) ? "set" : "not set");
            return p.has(bit) ? holds(capability, evidence) : missing(capability, evidence);
        });
    }

    private static CapabilityProbe memlock() {
        return new CapabilityProbe(Capability.MEMLOCK, context -> {
            ProcessPrivileges p = context.privileges();
            // Since 5.11 BPF memory is charged to the memory cgroup, not RLIMIT_MEMLOCK (commit 97306be45fbe).
            boolean cgroupCharged = KernelRelease.parse(KernelRelease.read(context.procRoot())).atLeast(5, 11);
            String evidence = "RLIMIT_MEMLOCK soft limit " + p.memlockText()
                    + (cgroupCharged ? "; kernel >= 5.11 charges BPF memory to the memory cgroup" : "");
            return p.memlockUnlimited() || cgroupCharged
                    ? holds(Capability.MEMLOCK, evidence)
                    : missing(Capability.MEMLOCK, evidence + " (run with ulimit -l unlimited)");
        });
    }
}
