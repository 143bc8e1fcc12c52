package io.mapsnap.iter;

import java.time.Duration;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.kernel.vma.HookedVmaCollection;

/**
 * Collection-time maps with the kfunc iterator (6.7+) from process context: each process is walked at its first
 * system call in the collection, after exec, when its map changed, at exit_group, and as its last thread exits (on
 * kernels that fire sched_process_exit before exit_mm; elsewhere the exit_group walk is the final map), so the
 * samples of a process that is gone by symbolization time are still resolved. The walks run in system-call and exit context because stable kernels after the 2026 rework refuse
 * the iterator inside perf_event samples (-EBUSY with IRQs off). See bpf-programs/kfunc_vma_collector.bpf.c.
 */
@Component(configurationPid = "io.mapsnap.iter.collector",
        property = VmaCollector.COLLECTOR_PROPERTY + "=" + KfuncVmaCollector.NAME)
@ServiceRanking(KfuncVmaCollector.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.kfunc-task-vma-iter-in-process-context)")
public final class KfuncVmaCollector implements VmaCollector {
    static final String NAME = "kfunc";
    static final int RANKING = 400;

    private final KfuncVmaCollectorConfig config;

    @Activate
    public KfuncVmaCollector(KfuncVmaCollectorConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink)
            throws VmaCaptureException {
        return HookedVmaCollection.start(NAME, "kfunc_vma_collector", KfuncVmaCollector.class, config.maxVmas(),
                Duration.ofMillis(config.refreshIntervalMillis()), scope, sink);
    }
}
