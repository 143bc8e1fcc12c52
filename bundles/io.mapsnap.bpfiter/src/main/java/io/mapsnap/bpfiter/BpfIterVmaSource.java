package io.mapsnap.bpfiter;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.vma.IterVmaSource;

/**
 * On-demand snapshots with the task_vma bpf_iter (Linux 5.12+): the kernel calls an iter/task_vma program once per
 * VMA of the target. Ranked below the kfunc walker because the snapshot is not atomic: the iterator drops the mmap
 * lock between VMAs whenever a writer waits, so a process that maps while it is walked may be seen partly before and
 * partly after the change (each VMA is still reported once, in address order). Variants as the kfunc source's:
 * {@code d-path} (bpf_d_path), then {@code dentry-path} (the path built from the dentry chain), for kernels that
 * call the iterator's vm_file untrusted.
 */
@Component(immediate = true, configurationPid = "io.mapsnap.bpfiter")
public final class BpfIterVmaSource {
    static final String NAME = "bpf-iter";
    static final int RANKING = 200;

    private final ComponentPublication publication;

    @Activate
    public BpfIterVmaSource(BundleContext context, BpfIterVmaSourceConfig config) {
        publication = IterVmaSource.publish(context, NAME, RANKING, config.maxVmas(), variants());
    }

    /** The walker objects, best first. */
    public static List<ProgramVariant> variants() {
        return List.of(new ProgramVariant("d-path", "bpf_iter_vma_walker", BpfIterVmaSource.class),
                new ProgramVariant("dentry-path", "bpf_iter_vma_walker_dentry", BpfIterVmaSource.class));
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
