package io.mapsnap.profiler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfMap;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.BpfProgram;
import io.mapsnap.kernel.bpf.PerfEvent;
import io.mapsnap.kernel.bpf.RingBufferDrain;
import io.mapsnap.kernel.program.ProgramVariant;

/**
 * The sampling side: profile_sampler.bpf.c on one cpu-clock perf event per CPU, its ring buffer drained by a thread
 * that decodes each sample for the consumer. Sequence: open → rodata → load → target map → perf events → attach →
 * drain → close (links, then events, then the object).
 */
final class StackSampler implements AutoCloseable {
    private final BpfObject object;
    private final List<PerfEvent> events;
    private final List<BpfLink> links = new ArrayList<>();
    private final RingBufferDrain drain;
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean stopping;
    private SamplerCounts last = new SamplerCounts(0, 0, 0, 0);
    private boolean closed;

    private StackSampler(BpfObject object, List<PerfEvent> events, Consumer<StackSample> consumer)
            throws BpfException {
        this.object = object;
        this.events = events;
        this.drain = RingBufferDrain.start("mapsnap-sampler", object.map("samples"), r -> {
            try {
                consumer.accept(StackSample.decode(r));
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
            }
        });
    }

    /** The sampler's object; one variant: plain helpers only, nothing a kernel with perf_event BPF refuses. */
    static final ProgramVariant VARIANT = new ProgramVariant("frame-pointers", "profile_sampler", StackSampler.class);

    /** Sets the sampler's rodata before it loads. */
    static void configure(BpfObject o, boolean filterTgids, long cgroupId, boolean kernelStacks) throws BpfException {
        o.setRodataInt("filter_tgids", filterTgids ? 1 : 0);
        o.setRodata("filter_cgroup_id", cgroupId);
        o.setRodataInt("kernel_stacks", kernelStacks ? 1 : 0);
        o.setRodataInt("self_tgid", (int) ProcessHandle.current().pid());
    }

    /**
     * Starts sampling every CPU at {@code frequencyHz}, restricted to {@code tgids} (empty: all) and the cgroup
     * (0: any).
     */
    static StackSampler start(int frequencyHz, Set<Integer> tgids, long cgroupId, boolean kernelStacks,
            Consumer<StackSample> consumer) throws BpfException, IOException {
        BpfObject o = VARIANT.open();
        List<PerfEvent> events = List.of();
        StackSampler sampler = null;
        try {
            configure(o, !tgids.isEmpty(), cgroupId, kernelStacks);
            o.load();
            BpfMap targets = o.map("target_tgids");
            for (int tgid : tgids) {
                targets.update(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(tgid).array(),
                        new byte[] {1}, BpfMap.BPF_ANY);
            }
            events = PerfEvent.openCpuClockOnEachCpu(frequencyHz);
            sampler = new StackSampler(o, events, consumer);
            BpfProgram program = o.program("profile_sample");
            for (PerfEvent e : events) {
                sampler.links.add(program.attachPerfEvent(e));
            }
            return sampler;
        } catch (BpfException | RuntimeException e) {
            if (sampler != null) {
                sampler.close();
            } else {
                events.forEach(PerfEvent::close);
                o.close();
            }
            throw e;
        }
    }

    /** Samples the program wrote, lost to a full ring buffer, and of the idle task (not recorded). */
    synchronized SamplerCounts counts() {
        if (closed) {
            return last;
        }
        try {
            last = new SamplerCounts(object.readGlobalLong(".bss", "sampled", 0),
                    object.readGlobalLong(".bss", "lost", 0), object.readGlobalLong(".bss", "idle", 0),
                    malformed.get());
        } catch (BpfException e) {
            // Keep the last counts: a failed read of a counter must not end the profile.
        }
        return last;
    }

    /** The drain's failure, if the ring buffer could not be read. */
    Exception drainFailure() {
        return drain.failure();
    }

    /**
     * Stops sampling and delivers every sample still in the ring buffer; the program stays loaded (its kernel
     * symbol too, for naming frames inside it) until {@link #close()}.
     */
    synchronized void stopSampling() {
        if (stopping) {
            return;
        }
        links.forEach(BpfLink::close);
        events.forEach(PerfEvent::close);
        counts();
        stopping = true;
        drain.close();
    }

    /** Stops sampling if still running, and frees everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopSampling();
        closed = true;
        object.close();
    }
}
