package io.mapsnap.kernel.capability;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;

/** One measurement of one capability. Probes never throw: a failure is a result with its evidence. */
interface CapabilityProbe {
    Capability capability();

    CapabilityResult probe(ProbeContext context);
}
