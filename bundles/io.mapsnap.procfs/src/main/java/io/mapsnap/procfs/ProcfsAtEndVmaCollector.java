package io.mapsnap.procfs;

import java.util.function.Consumer;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.VmaCollector;

/**
 * The classic baseline, never chosen unless named: /proc/PID/maps of every sampled process read when the profile
 * ends, as bcc's profile reads maps when it prints. Every process that exited during the profile is lost; it exists
 * to measure what collection-time maps win.
 */
final class ProcfsAtEndVmaCollector implements VmaCollector {
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
