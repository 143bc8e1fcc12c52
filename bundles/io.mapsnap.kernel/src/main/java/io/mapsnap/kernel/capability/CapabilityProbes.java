package io.mapsnap.kernel.capability;

import java.util.ArrayList;
import java.util.List;

/** Every probe this bundle runs, one per {@link io.mapsnap.api.capability.Capability}. */
final class CapabilityProbes {
    private CapabilityProbes() {
    }

    static List<CapabilityProbe> all() {
        List<CapabilityProbe> probes = new ArrayList<>();
        probes.addAll(PrivilegeProbes.all());
        probes.addAll(FileProbes.all());
        probes.addAll(BtfProbes.all());
        probes.addAll(RuntimeProbes.all());
        return probes;
    }
}
