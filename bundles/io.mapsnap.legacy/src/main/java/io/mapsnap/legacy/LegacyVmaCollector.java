package io.mapsnap.legacy;

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
 * Collection-time maps on kernels up to 6.0, by walking mm->mmap and vma->vm_next from process context: each
 * process is walked at its first system call in the collection, after exec, when its map changed, and at exit_group
 * (5.10 fires sched_process_exit after exit_mm, so that is the last moment its map is there). Same hooks as the kfunc
 * collector; the walk holds no lock, reports at most 256 VMAs (5.10's verifier) and names files by dentry names, so
 * a file on another mount shows relative to that mount's root. See bpf-programs/legacy_vma_collector.bpf.c.
 */
@Component(configurationPid = "io.mapsnap.legacy.collector",
        property = VmaCollector.COLLECTOR_PROPERTY + "=" + LegacyVmaCollector.NAME)
@ServiceRanking(LegacyVmaCollector.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.mm-mmap-list)")
public final class LegacyVmaCollector implements VmaCollector {
    static final String NAME = "legacy";
    static final int RANKING = 300;

    private final LegacyVmaCollectorConfig config;

    @Activate
    public LegacyVmaCollector(LegacyVmaCollectorConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink)
            throws VmaCaptureException {
        return HookedVmaCollection.start(NAME, "legacy_vma_collector", LegacyVmaCollector.class, config.maxVmas(),
                Duration.ofMillis(config.refreshIntervalMillis()), scope, sink);
    }
}
