package io.mapsnap.procfs;

import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.VmaCollector;

/**
 * The classic baseline, never chosen unless named: /proc/PID/maps of every sampled process read when the profile
 * ends, as bcc's profile reads maps when it prints. Every process that exited during the profile is lost; it exists
 * to measure what collection-time maps win.
 */
@Component(property = VmaCollector.COLLECTOR_PROPERTY + "=" + ProcfsAtEndVmaCollector.NAME)
@ServiceRanking(ProcfsAtEndVmaCollector.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.procfs-maps)")
public final class ProcfsAtEndVmaCollector implements VmaCollector {
    static final String NAME = "procfs-at-end";
    static final int RANKING = -100;

    private final ProcfsVmaSource source = new ProcfsVmaSource();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink) {
        return new AfterSampleCollection(NAME, source, scope, sink, true);
    }
}
