package io.mapsnap.kernel.vma;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfMap;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.BpfProgram;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.RingBufferDrain;

/**
 * A collection run by a collector object (kfunc_vma_collector and its kin): BPF programs on kernel hooks walk
 * processes at the moments that matter and write walk-id-tagged records to the object's ring buffer; a drain thread
 * regroups them into snapshots for the sink. Loading, attaching, draining and detaching follow libbpf's sequence:
 * open → set rodata → load → fill maps → attach → consume → destroy.
 */
public final class HookedVmaCollection implements CollectionSession {
    private static final System.Logger LOG = System.getLogger(HookedVmaCollection.class.getName());

    private final String source;
    private final BpfObject object;
    private final List<BpfLink> links = new ArrayList<>();
    private final CollectionScope scope;
    private final Consumer<CollectedSnapshot> sink;
    private final RingBufferDrain drain;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong vmas = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicInteger lastError = new AtomicInteger();
    private final VmaRecordDecoder decoder = new VmaRecordDecoder(this::onWalk);
    private long lostAtClose;
    private boolean closed;

    /**
     * Sets a collector object's rodata before it loads: its bound, the running kernel's facts, and the scope. The
     * collecting process itself is left out of every collection, except where {@code includeSelf} (a collector's
     * check of its own program walks this process).
     *
     * @param refreshInterval the least time between two walks of one process whose map keeps changing
     */
    public static void configure(BpfObject o, int maxVmas, Duration refreshInterval, CollectionScope scope,
            boolean includeSelf) throws BpfException {
        IterVmaWalker.configure(o, maxVmas);
        o.setRodataInt("filter_tgids", scope.tgids().isEmpty() ? 0 : 1);
        o.setRodata("filter_cgroup_id", scope.cgroupId());
        o.setRodataInt("self_tgid", includeSelf ? 0 : (int) ProcessHandle.current().pid());
        o.setRodataInt("collector_tgid", (int) ProcessHandle.current().pid());
        o.setRodata("refresh_interval_ns", refreshInterval.toNanos());
        if (scope.executableOnly()) {
            // Where the walk cannot leave the others out (legacy), onWalk does.
            IterVmaWalker.walkExecutableOnly(o);
            // The drain reads walks as they come; without the rest of each map they are a fraction of the size.
            // Mapped whole and twice into this process, the ring costs twice its size in resident memory.
            o.map("records").setMaxEntries(EXECUTABLE_ONLY_RING_BYTES);
        }
    }

    /** The ring of a collection of executable mappings; a full ring drops walks, counted in {@link #stats()}. */
    static final int EXECUTABLE_ONLY_RING_BYTES = 2 << 20;

    /**
     * Starts collecting with a {@link #configure configured}, loaded collector object, which the collection owns from
     * now on (it is closed here when starting fails): fills the scope, attaches every program in it but the
     * {@link #CONTINUATION_PROGRAM} (a program whose hook this kernel lacks is logged and left out, unless it is the
     * only one), and starts draining.
     */
    public static HookedVmaCollection start(String source, BpfObject loaded, CollectionScope scope,
            Consumer<CollectedSnapshot> sink) throws BpfException {
        try {
            BpfMap scopeMap = loaded.map("scope_tgids");
            for (int tgid : scope.tgids()) {
                scopeMap.update(intBytes(tgid), new byte[] {1}, BpfMap.BPF_ANY);
            }
            HookedVmaCollection c = new HookedVmaCollection(source, loaded, scope, sink);
            c.awaitCollectorRoot();
            return c;
        } catch (BpfException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * Where the object names files up to the collecting process's root (the kfunc collector), waits until its hook
     * has seen that root at one of this process's system calls, so no walk names a file from the top of the mount
     * tree instead. This process makes system calls all the time; the wait is a few milliseconds at most.
     */
    private void awaitCollectorRoot() throws BpfException {
        if (!object.hasGlobal(".bss", "collector_root_dentry")) {
            return; // legacy: dentry names without mounts, no root to learn
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (object.readGlobalLong(".bss", "collector_root_dentry", 0) == 0 && System.nanoTime() < deadline) {
            ProcessHandle.current().info(); // a few system calls of this process
            Thread.onSpinWait();
        }
        if (object.readGlobalLong(".bss", "collector_root_dentry", 0) == 0) {
            LOG.log(Level.WARNING, "{0}: the collector never saw this process's root; paths run to the top of the"
                    + " mount tree", source);
        }
    }

    private HookedVmaCollection(String source, BpfObject object, CollectionScope scope,
            Consumer<CollectedSnapshot> sink) throws BpfException {
        this.source = source;
        this.object = object;
        this.scope = scope;
        this.sink = sink;
        this.drain = RingBufferDrain.start("mapsnap-" + source + "-collector", object.map("records"),
                this::onRecordBytes);
        try {
            attachAll();
        } catch (BpfException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The program through which a collector's walk goes on past its per-run bound (legacy on 5.10, reached by tail
     * calls from its system-call hook): it goes into the object's program array, never onto a hook.
     */
    static final String CONTINUATION_PROGRAM = "continue_walk";

    private void attachAll() throws BpfException {
        List<String> missing = new ArrayList<>();
        BpfException last = null;
        // Before any hook is attached: a hook's first walk may already need to go on.
        for (BpfProgram p : object.programs()) {
            if (p.name().equals(CONTINUATION_PROGRAM)) {
                IterVmaWalker.continueThrough(object, p);
            }
        }
        for (BpfProgram p : object.programs()) {
            if (p.name().equals(CONTINUATION_PROGRAM)) {
                continue;
            }
            try {
                links.add(p.attach());
            } catch (BpfException e) {
                missing.add(p.sectionName() + " (" + e.getMessage() + ")");
                last = e;
            }
        }
        if (links.isEmpty() && last != null) {
            throw last;
        }
        if (!missing.isEmpty()) {
            LOG.log(Level.WARNING, "{0}: collecting without {1}", source, missing);
        }
    }

    private void onRecordBytes(java.lang.foreign.MemorySegment record) {
        try {
            decoder.accept(record);
        } catch (IllegalArgumentException e) {
            // A record that does not decode is counted and skipped: one bad record never ends the collection.
            if (malformed.getAndIncrement() == 0) {
                LOG.log(Level.WARNING, "{0}: skipping a malformed walker record: {1}", source, e.getMessage());
            }
        }
    }

    private void onWalk(WalkedProcess p) {
        if (p.error() != 0) {
            failed.incrementAndGet();
            lastError.set(p.error());
            return;
        }
        snapshots.incrementAndGet();
        vmas.addAndGet(p.vmas().size());
        if (p.truncated()) {
            truncated.incrementAndGet();
        }
        if (p.dropped()) {
            dropped.incrementAndGet();
        }
        sink.accept(new CollectedSnapshot(scope.select(p.toSnapshot(source)), p.mm(), p.captureTrigger()));
    }

    @Override
    public void sampled(int tgid, long processStartTime) {
        // The hooks find every process in scope themselves.
    }

    @Override
    public CollectionStats stats() {
        return new CollectionStats(snapshots.get(), vmas.get(), failed.get(), truncated.get(), dropped.get(),
                lostRecords());
    }

    /**
     * Run count and cumulative run time of each program, by its C function name (e.g. {@code collect_on_sys_enter};
     * the time of the tail calls a run takes counts to it, never to {@code continue_walk}); both stay 0 unless BPF
     * run-time statistics are on. The benchmarks read them: the hooks run on every system call of every process in
     * scope, walking or not.
     */
    public synchronized Map<String, BpfRunStats> runStats() throws BpfException {
        if (closed) {
            throw new IllegalStateException(source + ": the collection is closed");
        }
        Map<String, BpfRunStats> stats = new LinkedHashMap<>();
        for (BpfProgram p : object.programs()) {
            if (p.fd() >= 0) {
                stats.put(p.name(), p.runStats());
            }
        }
        return stats;
    }

    /** Walks the programs started so far, failed ones included (their {@code walks} and {@code walks_failed}). */
    public synchronized long walksStarted() throws BpfException {
        if (closed) {
            throw new IllegalStateException(source + ": the collection is closed");
        }
        return object.readGlobalLong(".bss", "walks", 0) + object.readGlobalLong(".bss", "walks_failed", 0);
    }

    /** The error code of the last walk that could not start (for example -16, EBUSY), 0 when none failed. */
    public int lastWalkError() {
        return lastError.get();
    }

    /** Records lost to a full ring buffer, as the programs counted them (the last count once closed). */
    private synchronized long lostRecords() {
        if (!closed) {
            try {
                lostAtClose = object.readGlobalLong(".bss", "dropped", 0);
            } catch (BpfException e) {
                // Keep the last count read: stats are a view, the collection goes on.
            }
        }
        return lostAtClose;
    }

    /** Detaches the hooks, delivers what is still in the ring buffer, and frees the object. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (BpfLink l : links) {
            l.close();
        }
        lostRecords();
        drain.close();
        decoder.finish();
        closed = true;
        object.close();
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
