package io.mapsnap.api.capability;

import java.util.Objects;

/**
 * The measured answer for one capability.
 *
 * @param capability which capability
 * @param available whether it holds on this kernel, for this process
 * @param evidence what was observed, in words a person can check: a BTF lookup ("struct mm_struct has no
 *        member mmap"), a probe's return code with its errno name ("bpf_iter_task_vma_new returned -16 (EBUSY)"),
 *        or a syscall's errno
 * @param returnCode the probe's or syscall's return code where one exists, otherwise {@code null}
 */
public record CapabilityResult(Capability capability, boolean available, String evidence, Long returnCode) {
    public CapabilityResult {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** A capability that holds, with its evidence. */
    public static CapabilityResult holds(Capability capability, String evidence) {
        return new CapabilityResult(capability, true, evidence, null);
    }

    /** A capability that does not hold, with its evidence. */
    public static CapabilityResult missing(Capability capability, String evidence) {
        return new CapabilityResult(capability, false, evidence, null);
    }

    /** The same result carrying the probe's return code. */
    public CapabilityResult withReturnCode(long code) {
        return new CapabilityResult(capability, available, evidence, code);
    }
}
