package io.mapsnap.iter;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.vma.IterVmaSource;

/**
 * On-demand snapshots with the open-coded kfunc iterator (Linux 6.7+): an iter/task program walks the target's
 * VMAs under the mmap read lock, so the snapshot is consistent. Two variants, tried in this order: {@code d-path}
 * names files with bpf_d_path (the kernel's own d_path), {@code dentry-path} builds the same path from the dentry
 * chain, for kernels whose verifier calls the iterator's vm_file untrusted (a 6.18 build of 2026-12 refuses
 * bpf_d_path on it). Registers the source (rank 400) only when one of them loads and walks this process.
 */
@Component(immediate = true, configurationPid = "io.mapsnap.iter")
public final class KfuncVmaSource {
    static final String NAME = "kfunc";
    static final int RANKING = 400;

    private final ComponentPublication publication;

    @Activate
    public KfuncVmaSource(BundleContext context, KfuncVmaSourceConfig config) {
        publication = IterVmaSource.publish(context, NAME, RANKING, config.maxVmas(), variants());
    }

    /** The walker objects, best first. */
    public static List<ProgramVariant> variants() {
        return List.of(new ProgramVariant("d-path", "kfunc_vma_walker", KfuncVmaSource.class),
                new ProgramVariant("dentry-path", "kfunc_vma_walker_dentry", KfuncVmaSource.class));
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
