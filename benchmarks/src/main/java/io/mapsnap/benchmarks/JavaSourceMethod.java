package io.mapsnap.benchmarks;

import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.vma.IterVmaWalker;

/**
 * A mapsnap source, timed from the call to the {@link VmaSnapshot} it returns (records decoded into Java objects).
 * For the BPF walkers the program's in-kernel run time per snapshot is read from BPF run-time statistics too.
 */
final class JavaSourceMethod implements SnapshotMethod {
    /** The part of a source the benchmark calls. */
    interface Snapshotter {
        VmaSnapshot snapshot(int tgid) throws VmaCaptureException;
    }

    private int truncatedAt = -1;
    private final String name;
    private final String wallMeasures;
    private final Snapshotter source;
    private final IterVmaWalker walker; // null for the /proc sources
    private final boolean kernelTime;

    private JavaSourceMethod(String name, String wallMeasures, Snapshotter source, IterVmaWalker walker,
            boolean kernelTime) {
        this.name = name;
        this.wallMeasures = wallMeasures;
        this.source = source;
        this.walker = walker;
        this.kernelTime = kernelTime;
    }

    /** A BPF walker; {@code kernelTime}: its program's run time is the walk's whole in-kernel cost. */
    static JavaSourceMethod walker(String name, IterVmaWalker walker, boolean kernelTime) {
        return new JavaSourceMethod(name, "wall, end-to-end to Java records", walker::snapshot, walker, kernelTime);
    }

    static JavaSourceMethod procSource(String name, String wallMeasures, Snapshotter source) {
        return new JavaSourceMethod(name, wallMeasures, source, null, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean floor() {
        return false;
    }

    @Override
    public String wallMeasures() {
        return wallMeasures;
    }

    /** The VMAs a truncated walk stopped at, or -1 when no snapshot was truncated. */
    int truncatedAt() {
        return truncatedAt;
    }

    @Override
    public NativeFloor.Runs run(int pid, int count) throws VmaCaptureException, BpfException {
        long[] wall = new long[count];
        long[] kernel = kernelTime ? new long[count] : null;
        int vmas = 0;
        for (int i = 0; i < count; i++) {
            BpfRunStats before = kernelTime ? walker.runStats() : null;
            long t0 = System.nanoTime();
            VmaSnapshot s = source.snapshot(pid);
            wall[i] = System.nanoTime() - t0;
            if (kernelTime) {
                BpfRunStats after = walker.runStats();
                if (after.runCount() == before.runCount()) {
                    throw new IllegalStateException(name + ": run_cnt did not move: BPF run-time statistics are off");
                }
                kernel[i] = after.runTimeNs() - before.runTimeNs();
            }
            if (s.truncated()) {
                // 5.10's verifier bounds the legacy walk (256 VMAs): its row then times a bounded walk, said in a note.
                if (!name.equals("legacy")) {
                    throw new IllegalStateException(name + ": snapshot of " + pid + " was truncated");
                }
                truncatedAt = s.vmas().size();
            }
            vmas = s.vmas().size();
        }
        return new NativeFloor.Runs(vmas, kernel, wall);
    }

    @Override
    public void close() {
        if (walker != null) {
            walker.close();
        }
    }
}
