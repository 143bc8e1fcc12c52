package io.mapsnap.legacy;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.vma.IterVmaSource;

/**
 * Snapshots on kernels up to 6.0 by walking mm->mmap and vma->vm_next with CO-RE reads: 256 VMAs a program run
 * (5.10's verifier), going on by tail-calling itself up to 8,448, flagged when truncated. Paths are built from
 * dentry names up to the filesystem's root (bpf_d_path is not usable there) and placed under its mount point by the
 * record decoder (/proc/self/mountinfo). Where the list is gone (6.1+, the maple tree) the object does not relocate and the
 * kernel refuses it: that refusal, in libbpf's words, is the status.
 */
@Component(immediate = true, configurationPid = "io.mapsnap.legacy")
public final class LegacyVmaSource {
    static final String NAME = "legacy";
    static final int RANKING = 300;

    private final ComponentPublication publication;

    @Activate
    public LegacyVmaSource(BundleContext context, LegacyVmaSourceConfig config) {
        publication = IterVmaSource.publish(context, NAME, RANKING, config.maxVmas(), variants());
    }

    /** The walker object. */
    public static List<ProgramVariant> variants() {
        return List.of(new ProgramVariant("vm-next-list", "legacy_vma_walker", LegacyVmaSource.class));
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
