package io.mapsnap.kernel.capability;

import java.util.function.Function;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;

/**
 * One measurement of one capability. Probes never throw: a failure is a result with its evidence.
 *
 * @param capability what is measured
 * @param measure how
 */
record CapabilityProbe(Capability capability, Function<ProbeContext, CapabilityResult> measure) {
    CapabilityResult probe(ProbeContext context) {
        return measure.apply(context);
    }
}
