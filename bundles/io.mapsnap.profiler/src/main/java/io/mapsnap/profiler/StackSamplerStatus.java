package io.mapsnap.profiler;

import java.util.Map;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.VariantSelection;

/**
 * The sampler's standing here, checked once by loading each variant, best first, with every filter on (so every
 * branch is verified): published as a {@link ComponentStatus} for {@code caps}, for the profiler's choice of
 * variant (the first accepted) and for its "cannot run here". The profiler loads its own copy per profile.
 */
@Component(immediate = true)
// Registered by hand (ComponentPublication), not by SCR: declared, so that the resolver sees the profiler's
// mandatory reference to it satisfied.
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"io.mapsnap.api.component.ComponentStatus\"")
public final class StackSamplerStatus {
    static final String NAME = "perf-event";

    private final ComponentPublication publication;

    @Activate
    public StackSamplerStatus(BundleContext context) {
        VariantSelection<Boolean> check = VariantSelection.firstAccepted(StackSampler.VARIANTS,
                (v, o) -> StackSampler.configure(v, o, ProfileRequest.DEFAULT_FREQUENCY_HZ, true, 1, true),
                (v, o) -> {
                    o.close();
                    return new VariantSelection.Accepted<>(Boolean.TRUE, v == StackSampler.FIND_VMA
                            ? "loaded (perf_event program, bpf_get_stack, bpf_find_vma per user mapping)"
                            : StackSampler.isTaskWork(v)
                                    ? "loaded (perf_event program, bpf_get_stack, the kfunc walk deferred into the"
                                            + " task by bpf_task_work_schedule_resume)"
                            : v == StackSampler.BUILD_ID
                                    ? "loaded (perf_event program, bpf_get_stack with BPF_F_USER_BUILD_ID)"
                                    : "loaded (perf_event program, bpf_get_stack of user and kernel stacks)");
                });
        ComponentStatus status = new ComponentStatus(ComponentKind.SAMPLER, NAME, 0, check.verdicts());
        publication = ComponentPublication.publish(context, status, Object.class, null, Map.of(), null);
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
