package io.mapsnap.kernel.capability;

import static io.mapsnap.api.capability.CapabilityResult.holds;
import static io.mapsnap.api.capability.CapabilityResult.missing;

import java.util.List;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.kernel.btf.Btf;

/** Capabilities read from the kernel's BTF: what types, members and functions the running kernel has. */
final class BtfProbes {
    static final List<String> TASK_VMA_KFUNCS =
            List.of("bpf_iter_task_vma_new", "bpf_iter_task_vma_next", "bpf_iter_task_vma_destroy");

    private BtfProbes() {
    }

    static List<CapabilityProbe> all() {
        return List.of(kernelBtf(), kfuncTaskVmaIter(), mmMmapList());
    }

    private static CapabilityProbe kernelBtf() {
        return probe(Capability.KERNEL_BTF, (context, btf) -> holds(Capability.KERNEL_BTF,
                context.vmlinuxBtf() + ": " + btf.typeCount() + " types, parsed in " + context.btfParseMillis()
                        + " ms"));
    }

    private static CapabilityProbe kfuncTaskVmaIter() {
        return probe(Capability.KFUNC_TASK_VMA_ITER, (context, btf) -> {
            List<String> absent = TASK_VMA_KFUNCS.stream().filter(f -> !btf.hasKfunc(f)).toList();
            return absent.isEmpty()
                    ? holds(Capability.KFUNC_TASK_VMA_ITER, "BTF has FUNC " + String.join(", ", TASK_VMA_KFUNCS))
                    : missing(Capability.KFUNC_TASK_VMA_ITER, "BTF lacks FUNC " + String.join(", ", absent)
                            + " (added in Linux 6.7)");
        });
    }

    private static CapabilityProbe mmMmapList() {
        return probe(Capability.MM_MMAP_LIST, (context, btf) -> {
            boolean mmap = btf.hasMember("mm_struct", "mmap");
            boolean next = btf.hasMember("vm_area_struct", "vm_next");
            String evidence = "struct mm_struct " + (mmap ? "has" : "has no") + " member mmap, struct vm_area_struct "
                    + (next ? "has" : "has no") + " member vm_next"
                    + (btf.hasMember("mm_struct", "mm_mt") ? " (maple tree mm_mt, Linux 6.1+)" : "");
            return mmap && next ? holds(Capability.MM_MMAP_LIST, evidence) : missing(Capability.MM_MMAP_LIST, evidence);
        });
    }

    interface BtfCheck {
        CapabilityResult check(ProbeContext context, Btf btf);
    }

    /** A probe that needs BTF: without it, the capability is missing with the BTF problem as evidence. */
    static CapabilityProbe probe(Capability capability, BtfCheck check) {
        return new CapabilityProbe(capability, context -> context.btf().map(btf -> check.check(context, btf))
                .orElseGet(() -> missing(capability, "no kernel BTF: " + context.btfProblem())));
    }
}
