package io.mapsnap.procfs;

import java.util.function.Consumer;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.VmaCollector;

/**
 * The classic way, kept as the baseline and the last resort: read /proc/PID/maps from user space once a sample of
 * the process arrives. Any kernel can do it, but a process that exited before the read is lost — the very problem
 * the BPF collectors solve — so it has the lowest rank.
 */
final class ProcfsAsyncVmaCollector implements VmaCollector {
    static final String NAME = "procfs-async";
    static final int RANKING = 0;

    private final ProcfsVmaSource source = new ProcfsVmaSource();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink) {
        return new AfterSampleCollection(NAME, source, scope, sink, false);
    }
}
