package io.mapsnap.legacy;

import java.time.Duration;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.vma.HookedVmaCollector;

/**
 * Collection-time maps on kernels up to 6.0, by walking mm->mmap and vma->vm_next from process context: each
 * process is walked at its first system call in the collection, after exec, when its map changed, and at exit_group
 * (5.10 fires sched_process_exit after exit_mm, so that is the last moment its map is there). Same hooks as the kfunc
 * collector; the walk holds no lock, walks 256 VMAs a program run (5.10's verifier) and goes on by tail calls, up
 * to 8,448 VMAs, and names files by dentry names up to their filesystem's root, placed
 * under its mount point by the record decoder. See bpf-programs/legacy_vma_collector.bpf.c. Where the
 * list is gone the object does not relocate: the kernel's refusal is the status, and no collector is registered.
 */
@Component(immediate = true, configurationPid = "io.mapsnap.legacy.collector")
public final class LegacyVmaCollector {
    static final String NAME = "legacy";
    static final int RANKING = 300;

    private final ComponentPublication publication;

    @Activate
    public LegacyVmaCollector(BundleContext context, LegacyVmaCollectorConfig config) {
        publication = HookedVmaCollector.publish(context, NAME, RANKING, config.maxVmas(),
                Duration.ofMillis(config.refreshIntervalMillis()), variants());
    }

    /** The collector object. */
    public static List<ProgramVariant> variants() {
        return List.of(new ProgramVariant("vm-next-list", "legacy_vma_collector", LegacyVmaCollector.class));
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
