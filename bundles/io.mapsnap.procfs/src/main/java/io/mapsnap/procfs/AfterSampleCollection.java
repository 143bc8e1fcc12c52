package io.mapsnap.procfs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * A collection driven by samples: the first sample of each process (identity: tgid and start time) and address space
 * (a new one after each exec) queues one
 * snapshot with an on-demand source, taken on a worker thread so the sample reader never waits on /proc — at once,
 * or, deferred, when the collection closes (after the fact, as classic profilers read maps when they print).
 */
final class AfterSampleCollection implements CollectionSession {
    private final String name;
    private final VmaSource source;
    private final CollectionScope scope;
    private final Consumer<CollectedSnapshot> sink;
    private final boolean deferred;
    private final Set<Sampled> seen = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Runnable> late = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ExecutorService worker;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong vmas = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();

    AfterSampleCollection(String name, VmaSource source, CollectionScope scope, Consumer<CollectedSnapshot> sink,
            boolean deferred) {
        this.name = name;
        this.deferred = deferred;
        this.source = source;
        this.scope = scope;
        this.sink = sink;
        this.worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("mapsnap-" + name + "-collector").unstarted(r));
    }

    @Override
    public void sampled(int tgid, long processStartTime) {
        sampled(tgid, processStartTime, 0);
    }

    /** One snapshot per address space of a process: after an exec (a new mm) its map is read again. */
    @Override
    public void sampled(int tgid, long processStartTime, long addressSpace) {
        if (!scope.includes(tgid) || !seen.add(new Sampled(tgid, processStartTime, addressSpace))) {
            return;
        }
        if (deferred) {
            late.add(() -> take(tgid, processStartTime));
            return;
        }
        try {
            worker.execute(() -> take(tgid, processStartTime));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile: the sample came after the collection ended.
        }
    }

    private void take(int tgid, long processStartTime) {
        try {
            VmaSnapshot s = scope.select(source.snapshot(tgid));
            // A different start time is another process that reused the pid: never hand out its map.
            if (processStartTime != 0 && s.processStartTime() != processStartTime) {
                failed.incrementAndGet();
                return;
            }
            snapshots.incrementAndGet();
            vmas.addAndGet(s.vmas().size());
            if (s.truncated()) {
                truncated.incrementAndGet();
            }
            sink.accept(new CollectedSnapshot(s, 0, CaptureTrigger.AFTER_SAMPLE));
        } catch (VmaCaptureException e) {
            failed.incrementAndGet(); // gone before we looked: the exited-process problem
        }
    }

    @Override
    public CollectionStats stats() {
        return new CollectionStats(snapshots.get(), vmas.get(), failed.get(), truncated.get(), 0, 0);
    }

    /** Takes the deferred snapshots and finishes those already queued, then stops. */
    @Override
    public void close() {
        for (Runnable r; (r = late.poll()) != null; ) {
            worker.execute(r);
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A process's address space as samples name it. */
    private record Sampled(int tgid, long processStartTime, long addressSpace) {
    }

    @Override
    public String toString() {
        return name + " collection of " + scope;
    }
}
