package io.mapsnap.iter;

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
 * Collection-time maps with the kfunc iterator (6.7+) from process context: each process is walked at its first
 * system call in the collection, after exec, when its map changed, at exit_group, and as its last thread exits (on
 * kernels that fire sched_process_exit before exit_mm; elsewhere the exit_group walk is the final map), so the
 * samples of a process that is gone by symbolization time are still resolved. The walks run in system-call and exit
 * context because stable kernels after the 2026 rework refuse the iterator inside perf_event samples (-EBUSY with
 * IRQs off). Registered only where the object loads, attaches and walks this process at one of its system calls.
 * See bpf-programs/kfunc_vma_collector.bpf.c.
 */
@Component(immediate = true, configurationPid = "io.mapsnap.iter.collector")
public final class KfuncVmaCollector {
    static final String NAME = "kfunc";
    static final int RANKING = 400;

    private final ComponentPublication publication;

    @Activate
    public KfuncVmaCollector(BundleContext context, KfuncVmaCollectorConfig config) {
        publication = HookedVmaCollector.publish(context, NAME, RANKING, config.maxVmas(),
                Duration.ofMillis(config.refreshIntervalMillis()), variants());
    }

    /** The collector object. */
    public static List<ProgramVariant> variants() {
        return List.of(new ProgramVariant("process-context", "kfunc_vma_collector", KfuncVmaCollector.class));
    }

    @Deactivate
    void deactivate() {
        publication.close();
    }
}
