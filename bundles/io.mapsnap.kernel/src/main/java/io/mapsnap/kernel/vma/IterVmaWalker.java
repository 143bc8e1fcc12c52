package io.mapsnap.kernel.vma;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfMap;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.BpfProgram;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.RingBufferReader;

/**
 * Drives one of mapsnap's iterator walker objects (the iter/task programs kfunc_vma_walker and legacy_vma_walker,
 * the iter/task_vma program bpf_iter_vma_walker, and the _dentry variants of the first and last, which name files
 * from the dentry chain where bpf_d_path is refused): loads it once, then for each snapshot points it at the target
 * and reads the iterator, which runs the walk; the walk's records arrive through the object's ring buffer, read
 * after the walk through one reader kept open from the first snapshot on (opening one maps the 8 MiB ring, twice
 * over, and closing unmaps it: 1.8 ms, most of a small process's snapshot). A source chosen but not used gives its
 * mapping back ({@link #releaseRing()}): each one mapped adds 16 MiB to the process's resident set. The ring must
 * hold the whole walk (about 60,000 VMAs): a thread draining it meanwhile does not help, since one program run walks the whole task without a point where the reader could run on
 * its CPU (measured: a drain thread lost records of a 3,300-VMA walk through a 128 KiB ring every time). Both
 * iterator kinds take the same pid filter (bpf_iter_link_info.task), so the walker bundles differ only in the object
 * they hand it and the capability that enables them.
 */
public final class IterVmaWalker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IterVmaWalker.class.getName());
    private static final int WALK_ATTEMPTS = 3;
    private final String source;
    private final BpfObject object;
    private final BpfProgram program;
    private RingBufferReader reader; // null until a snapshot needs it, and after releaseRing()
    private final int ringBytes;
    // Decodes the walk in progress straight from the ring; null between walks, when what the reader finds is left
    // over and dropped.
    private VmaRecordDecoder decoder;
    // 6.1+ can restrict a task iterator to one process; older kernels visit every task and the program filters.
    private boolean pidFilter = true;
    private boolean closed;

    /**
     * Sets what every walker object is told before it loads: its bound and the running kernel's facts (rodata).
     */
    public static void configure(BpfObject object, int maxVmas) throws BpfException {
        object.setRodataInt("max_vmas", maxVmas);
        WalkerKernelFacts.running().setRodata(object);
    }

    /**
     * A walker over a loaded walker object, which it owns from now on.
     *
     * @param source the VMA source name the snapshots carry
     * @param loaded a walker object ({@link #configure configured}, loaded) with one program
     */
    public IterVmaWalker(String source, BpfObject loaded) throws BpfException {
        if (loaded.programs().size() != 1) {
            throw new IllegalArgumentException(loaded.name() + ": a walker object has one program, not "
                    + loaded.programs().size());
        }
        this.source = source;
        this.object = loaded;
        this.program = loaded.programs().get(0);
        this.ringBytes = loaded.map("records").maxEntries();
        // A walker whose verifier bounds each program run (legacy on 5.10) goes on by tail-calling itself.
        if (loaded.maps().stream().anyMatch(m -> m.name().equals(CONTINUATION_MAP))) {
            continueThrough(loaded, program);
        }
    }

    /** The program array through which a walk bounded per program run goes on past the bound by a tail call. */
    static final String CONTINUATION_MAP = "walk_more";

    /** The kfunc walk's switch (include/mapsnap_kfunc_walk.h) that leaves non-executable mappings out in the kernel. */
    private static final String EXECUTABLE_ONLY = "executable_only";

    /**
     * Makes the object's kfunc walks leave non-executable mappings out, before anything of them is read; false when
     * its walk has no such switch (legacy's, kept to as few branches per VMA as 5.10's verifier affords), whose
     * caller leaves them out itself.
     */
    public static boolean walkExecutableOnly(BpfObject o) throws BpfException {
        if (!o.hasGlobal(".rodata", EXECUTABLE_ONLY)) {
            return false;
        }
        o.setRodataInt(EXECUTABLE_ONLY, 1);
        return true;
    }

    /** Puts {@code continuation} into the object's {@link #CONTINUATION_MAP}: where its walks go on. */
    static void continueThrough(BpfObject loaded, BpfProgram continuation) throws BpfException {
        loaded.map(CONTINUATION_MAP).update(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0).array(),
                ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(continuation.fd()).array(),
                BpfMap.BPF_ANY);
    }

    /** The current memory map of process {@code tgid}. One walk at a time: the target is a global of the object. */
    public synchronized VmaSnapshot snapshot(int tgid) throws VmaCaptureException {
        if (tgid <= 0) {
            throw new VmaCaptureException(source + ": not a process id: " + tgid);
        }
        if (closed) {
            throw new VmaCaptureException(source + ": the walker was closed (its bundle stopped)");
        }
        // A walk that shows the map changing under it is never handed out (seen in the kernel matrix: a kfunc walk
        // out of order once on 6.12, legacy walks ending early on 5.10 while another thread mapped and unmapped).
        // Walk again, and say so; a process that keeps changing under every walk is an error, not a snapshot.
        String why = null;
        for (int attempt = 1; attempt <= WALK_ATTEMPTS; attempt++) {
            try {
                WalkedProcess p = walkOnce(tgid);
                if (p.dropped()) {
                    // The ring is this walker's alone and one walk runs at a time: walking again would drop again.
                    throw new VmaCaptureException(source + ": " + tgid + " has more VMAs than one walk's ring buffer "
                            + "holds (" + p.vmas().size() + " of " + p.mapCount() + " arrived in "
                            + ringBytes + " bytes); the procfs and procmap-query sources have no such bound");
                }
                why = p.inconsistency().orElse(null);
                if (why == null) {
                    return p.toSnapshot(source);
                }
            } catch (TornRecords e) {
                // A VMA read while it was freed (5.10's lockless list: start above end) does not even decode.
                why = e.getMessage();
            } catch (MapLockBusy e) {
                // The iterator only trylocks the mmap lock; a writer holds it for a moment (the process mapping or
                // unmapping, khugepaged collapsing its pages): seen once in 241,101 walks of a sleeping process.
                why = e.getMessage();
                LOG.log(Level.DEBUG, "{0}: walk {1} of {2}: {3}", source, attempt, tgid, why);
                sleepMillis(attempt);
                continue;
            }
            LOG.log(Level.WARNING, "{0}: walk {1} of {2} is not a whole map: {3}", source, attempt, tgid, why);
        }
        throw new VmaCaptureException(source + ": " + WALK_ATTEMPTS + " walks of " + tgid
                + " gave no whole map; the last: " + why);
    }

    private WalkedProcess walkOnce(int tgid) throws VmaCaptureException {
        List<WalkedProcess> walked;
        try {
            object.writeGlobal(".bss", "target_tgid",
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(tgid).array());
            walked = walk(tgid);
        } catch (BpfException e) {
            // A pid-filtered task iterator refuses a pid that does not exist.
            if (e.errno() == Errno.ESRCH) {
                throw new ProcessGoneException(tgid, "no such process");
            }
            throw new VmaCaptureException(source + ": walking " + tgid + " failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TornRecords("the walker's records of " + tgid + " do not decode: " + e.getMessage(), e);
        }
        WalkedProcess p = walked.stream().filter(w -> w.tgid() == tgid).findFirst()
                .orElseThrow(() -> new ProcessGoneException(tgid,
                        "the walker did not find it (exited, or a kernel thread without an address space)"));
        if (p.error() == -Errno.EBUSY) {
            throw new MapLockBusy(source + ": the walk of " + tgid + " could not take its mmap lock: " + p.error()
                    + " (EBUSY)");
        }
        if (p.error() != 0) {
            throw new VmaCaptureException(source + ": the walk of " + tgid + " could not start: " + p.error() + " ("
                    + Errno.name(-p.error()) + ")");
        }
        return p;
    }

    /**
     * The walker program's cumulative run count and in-kernel run time: what its walks cost inside the kernel, read
     * around a snapshot by the benchmarks. Both stay 0 unless BPF run-time statistics are on
     * ({@link io.mapsnap.kernel.bpf.BpfStats#enableRunTime()}).
     */
    public synchronized BpfRunStats runStats() throws BpfException {
        return program.runStats();
    }

    /**
     * Runs the walk (reading the iterator), then decodes its records from the ring; a record that does not decode is
     * an IllegalArgumentException.
     */
    private List<WalkedProcess> walk(int tgid) throws BpfException {
        if (reader == null) {
            reader = RingBufferReader.open(object.map("records"), r -> {
                if (decoder != null) {
                    decoder.accept(r);
                }
            });
        }
        // What an earlier walk that failed half-way left in the ring is not this walk's.
        reader.consume();
        List<WalkedProcess> walked = new ArrayList<>();
        decoder = new VmaRecordDecoder(walked::add);
        try {
            readIterator(tgid);
            reader.consume();
            decoder.finish();
            return walked;
        } finally {
            decoder = null;
        }
    }

    private byte[] readIterator(int tgid) throws BpfException {
        if (pidFilter) {
            try (BpfLink link = program.attachIter(tgid)) {
                return link.readIterator();
            } catch (BpfException e) {
                // Before 6.1 bpf_iter_link_info has no task filter: 5.10 refuses the larger struct with
                // E2BIG, others with EINVAL. The program's target_tgid filter then does the job.
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.E2BIG) {
                    throw e;
                }
                pidFilter = false;
            }
        }
        try (BpfLink link = program.attachIter(null)) {
            return link.readIterator();
        }
    }

    private static void sleepMillis(long millis) throws VmaCaptureException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmaCaptureException("interrupted while waiting to walk again", e);
        }
    }

    /** The walk could not start: the process's mmap lock was held by a writer. */
    private static final class MapLockBusy extends VmaCaptureException {
        private static final long serialVersionUID = 1L;

        MapLockBusy(String message) {
            super(message);
        }
    }

    /** Records of one walk that do not decode: what a walker that read a changing map may emit. */
    private static final class TornRecords extends VmaCaptureException {
        private static final long serialVersionUID = 1L;

        TornRecords(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Unmaps the ring until the next snapshot maps it again: for a walker that may not walk for a long time. */
    public synchronized void releaseRing() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Waits for a walk in progress: the BPF object must not be freed under it. */
    @Override
    public synchronized void close() {
        closed = true;
        releaseRing();
        object.close();
    }
}
