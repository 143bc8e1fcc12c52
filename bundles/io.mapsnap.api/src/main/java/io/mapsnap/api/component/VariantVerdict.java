package io.mapsnap.api.component;

import java.util.Objects;

/**
 * What the kernel said about one variant of a component: accepted, or refused with its own words.
 *
 * @param variant the variant's name within its component, for example {@code d-path} or {@code dentry-path}
 * @param artifact what was tried: a BPF object ({@code kfunc_vma_walker.bpf.o}) or a kernel interface
 *        ({@code PROCMAP_QUERY ioctl})
 * @param accepted whether the kernel accepted it (loaded, and where the component checks it, ran)
 * @param errno the symbolic errno of the refusal ({@code EACCES}), or {@code null} when accepted or when there was
 *        none
 * @param reason the decisive words of the refusal: the last line(s) of the verifier log, libbpf's message, or the
 *        failed check; for an accepted variant, its evidence (what was checked)
 * @param injected whether the refusal was injected by the fault-injection switch ({@code mapsnap.refuse})
 */
public record VariantVerdict(String variant, String artifact, boolean accepted, String errno, String reason,
        boolean injected) {
    public VariantVerdict {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(reason, "reason");
    }

    /** An accepted variant with what showed it works. */
    public static VariantVerdict accepted(String variant, String artifact, String evidence) {
        return new VariantVerdict(variant, artifact, true, null, evidence, false);
    }

    /** A refused variant. */
    public static VariantVerdict refused(String variant, String artifact, String errno, String reason,
            boolean injected) {
        return new VariantVerdict(variant, artifact, false, errno, reason, injected);
    }

    /** The refusal in one line: {@code EACCES: R1 type=untrusted_ptr_ ...}, or the evidence when accepted. */
    public String summary() {
        return errno == null ? reason : errno + ": " + reason;
    }
}
