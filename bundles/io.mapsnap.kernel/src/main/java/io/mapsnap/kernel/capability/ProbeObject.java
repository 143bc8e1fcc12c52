package io.mapsnap.kernel.capability;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.PerfEvent;

/**
 * One probe program (bpf-programs/probe_*.bpf.c) loaded from this bundle, and the ways probes make it run:
 * sampled on every CPU while a target spins, or triggered by system calls. Every probe object writes
 * {@code struct mapsnap_probe_result result} (code, runs) into its .data section.
 */
final class ProbeObject implements AutoCloseable {
    static final long SAMPLE_HZ = 1000;
    /** The longest a probe samples: what a kernel that never gives the answer costs. */
    static final long SPIN_MILLIS = 300;
    /** Runs in the probed context that make an answer; at SAMPLE_HZ about 10 ms of spinning, not SPIN_MILLIS. */
    static final long ENOUGH_RUNS = 10;

    final BpfObject object;
    private final List<AutoCloseable> sampling = new ArrayList<>();

    private ProbeObject(BpfObject object) {
        this.object = object;
    }

    /** Opens probe NAME; {@code configure} sets rodata before the load. */
    static ProbeObject load(String name, Configurer configure) throws BpfException, IOException {
        byte[] elf;
        try (InputStream in = ProbeObject.class.getResourceAsStream("/bpf/" + name + ".bpf.o")) {
            if (in == null) {
                throw new IOException("probe object /bpf/" + name + ".bpf.o is missing from the kernel bundle");
            }
            elf = in.readAllBytes();
        }
        BpfObject o = BpfObject.open(name, elf);
        try {
            configure.configure(o);
            o.load();
            return new ProbeObject(o);
        } catch (BpfException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /**
     * Attaches the program to a cpu-clock event on every CPU, keeps a thread of this process busy until the program
     * has run {@link #ENOUGH_RUNS} times (or {@link #SPIN_MILLIS} passed), then stops the events: the globals read
     * afterwards all come from the same, finished set of samples.
     */
    void sampleWhileSpinning() throws BpfException {
        sampleWhileSpinningUntil(p -> p.resultRuns() >= ENOUGH_RUNS);
    }

    /** As {@link #sampleWhileSpinning()}, until {@code enough} holds (checked each millisecond). */
    void sampleWhileSpinningUntil(Evidence enough) throws BpfException {
        attachToCpuClock();
        long end = System.nanoTime() + SPIN_MILLIS * 1_000_000;
        while (System.nanoTime() < end && !enough.collected(this)) {
            spin(1);
        }
        stopSampling();
    }

    /** Whether the samples so far answer the probe's question. */
    interface Evidence {
        boolean collected(ProbeObject p) throws BpfException;
    }

    /** Closes the cpu-clock events: the program runs no more. */
    void stopSampling() {
        closeAll(sampling);
        sampling.clear();
    }

    /** Attaches the program to a cpu-clock event on every CPU (every task: the program filters by tgid). */
    void attachToCpuClock() throws BpfException {
        for (PerfEvent e : PerfEvent.openCpuClockOnEachCpu(SAMPLE_HZ)) {
            sampling.add(e);
            object.programs().get(0).attachPerfEvent(e);
        }
    }

    long resultCode() throws BpfException {
        return object.readGlobalLong(".data", "result", 0);
    }

    long resultRuns() throws BpfException {
        return object.readGlobalLong(".data", "result", 8);
    }

    long global(String section, String name) throws BpfException {
        return object.readGlobalLong(section, name, 0);
    }

    static long spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        return x;
    }

    @Override
    public void close() {
        object.close();
        closeAll(sampling);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // Closing a perf event fd cannot fail in a way a probe could act on.
            }
        }
    }

    interface Configurer {
        void configure(BpfObject object) throws BpfException;

        Configurer NONE = o -> { };

        /** Sets {@code const volatile __u32 target_tgid}. */
        static Configurer targetTgid(long tgid) {
            return o -> o.setRodataInt("target_tgid", (int) tgid);
        }
    }
}
