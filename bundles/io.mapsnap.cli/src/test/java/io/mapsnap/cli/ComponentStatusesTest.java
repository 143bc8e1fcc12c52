package io.mapsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;

class ComponentStatusesTest {
    private static final VariantVerdict FIND_VMA_REFUSED = VariantVerdict.refused("find-vma",
            "profile_sampler_find_vma", "EINVAL", "unknown func bpf_find_vma#180", false);
    private static final VariantVerdict FRAME_POINTERS_RUNS = VariantVerdict.accepted("frame-pointers",
            "profile_sampler", "loaded");

    @Test
    void aVariantRefusedBeforeTheRunningOneIsOneLineNamingBoth() {
        ComponentStatus sampler = new ComponentStatus(ComponentKind.SAMPLER, "perf-event", 0,
                List.of(FIND_VMA_REFUSED, FRAME_POINTERS_RUNS));
        assertEquals(List.of("find-vma: cannot run here: EINVAL: unknown func bpf_find_vma#180; using frame-pointers"),
                ComponentStatuses.refusedVariantsOf(sampler));
    }

    @Test
    void theFirstVariantRunningOrNoneRunningSaysNothingHere() {
        assertEquals(List.of(), ComponentStatuses.refusedVariantsOf(new ComponentStatus(ComponentKind.SAMPLER,
                "perf-event", 0, List.of(VariantVerdict.accepted("find-vma", "profile_sampler_find_vma", "loaded")))));
        // A component that does not run at all is reported by skippedFor or cannotRun, not as a downgrade.
        assertEquals(List.of(), ComponentStatuses.refusedVariantsOf(
                new ComponentStatus(ComponentKind.SAMPLER, "perf-event", 0, List.of(FIND_VMA_REFUSED))));
    }
}
