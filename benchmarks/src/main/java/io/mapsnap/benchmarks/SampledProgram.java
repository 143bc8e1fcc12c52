package io.mapsnap.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.BpfProgram;
import io.mapsnap.kernel.bpf.PerfEvent;
import io.mapsnap.kernel.bpf.RingBufferReader;
import io.mapsnap.kernel.vma.WalkerKernelFacts;

/**
 * The profiler's sampling program (profile_sampler.bpf.o, or its find-vma or build-ID variant, from the profiler
 * bundle), loaded and attached the way StackSampler does it — every process, kernel stacks on (or off, to split their
 * cost), this JVM excluded as the profiler excludes its own — on one cpu-clock event per CPU, its rings drained by a
 * thread that only counts samples. StackSampler itself is private to its bundle; the BPF program, which is what these rows
 * time, is the same object.
 */
final class SampledProgram implements AutoCloseable {
    /** The profiler's plain sampler. */
    static final String OBJECT = "profile_sampler";
    /** The find-vma sampler, which also writes the mappings its samples land in to a ring of its own. */
    static final String FIND_VMA_OBJECT = "profile_sampler_find_vma";
    /** The build-ID sampler: user frames as (build ID, file offset), 32 bytes each. */
    static final String BUILD_ID_OBJECT = "profile_sampler_build_id";
    /** The task-work sampler in 7.x's kfunc shape: its deferred walks write to a ring of their own. */
    static final String TASK_WORK_OBJECT = "profile_sampler_task_work";

    private final BpfObject object;
    private final List<PerfEvent> events;
    private final List<BpfLink> links = new ArrayList<>();
    private final BpfProgram program;
    private final Thread drain;
    private final AtomicLong records = new AtomicLong();
    private volatile boolean stopping;

    private SampledProgram(BpfObject object, List<PerfEvent> events) throws BpfException {
        this.object = object;
        this.events = events;
        this.program = object.program("profile_sample");
        RingBufferReader reader = RingBufferReader.open(object.map("samples"), r -> records.incrementAndGet());
        // The find-vma and task-work samplers' mapping records are drained too, so their ring never fills.
        boolean writesMaps = object.name().equals(FIND_VMA_OBJECT) || object.name().equals(TASK_WORK_OBJECT);
        RingBufferReader mappings = writesMaps ? RingBufferReader.open(object.map("records"), r -> { }) : null;
        this.drain = Thread.ofPlatform().daemon().name("bench-sample-drain").start(() -> {
            try (reader; mappings) { // a null resource is skipped
                while (!stopping) {
                    reader.poll(50);
                    if (mappings != null) {
                        mappings.poll(0);
                    }
                }
            } catch (BpfException e) {
                System.err.println("bench: the sample ring buffer failed: " + e.getMessage());
            }
        });
    }

    /** BPF_RB_NO_WAKEUP (include/uapi/linux/bpf.h): submit without waking the reader. */
    static final long RB_NO_WAKEUP = 1;

    /**
     * The sampler object {@code objectName} ({@link #OBJECT} or one of the variants' above) attached on every CPU at
     * {@code frequencyHz}; {@code kernelStacks} as the profiler's --no-kernel option; {@code submitFlags} for
     * bpf_ringbuf_submit (0 as the profiler, or {@link #RB_NO_WAKEUP}); {@code firstCpuOnly}: attached to the first
     * CPU's event alone, so its runs never coincide.
     */
    static SampledProgram start(String objectName, int frequencyHz, boolean kernelStacks, long submitFlags,
            boolean firstCpuOnly) throws BpfException, IOException {
        byte[] elf;
        try (InputStream in = SampledProgram.class.getClassLoader()
                .getResourceAsStream("bpf/" + objectName + ".bpf.o")) {
            if (in == null) {
                throw new IOException(objectName + ".bpf.o is missing from the profiler bundle");
            }
            elf = in.readAllBytes();
        }
        BpfObject o = BpfObject.open(objectName, elf);
        List<PerfEvent> events = List.of();
        try {
            o.setRodataInt("filter_tgids", 0);
            o.setRodata("filter_cgroup_id", 0L);
            o.setRodataInt("kernel_stacks", kernelStacks ? 1 : 0);
            o.setRodata("submit_flags", submitFlags);
            o.setRodataInt("self_tgid", (int) ProcessHandle.current().pid());
            if (objectName.equals(FIND_VMA_OBJECT) || objectName.equals(TASK_WORK_OBJECT)) {
                WalkerKernelFacts.running().setRodata(o);
            }
            o.load();
            events = PerfEvent.openCpuClockOnEachCpu(frequencyHz);
            if (firstCpuOnly) {
                events.subList(1, events.size()).forEach(PerfEvent::close);
                events = List.of(events.getFirst());
            }
            SampledProgram s = new SampledProgram(o, events);
            try {
                for (PerfEvent e : events) {
                    s.links.add(s.program.attachPerfEvent(e));
                }
            } catch (BpfException | RuntimeException e) {
                s.close();
                throw e;
            }
            return s;
        } catch (BpfException | RuntimeException e) {
            // Closing twice is harmless: this also covers a failure after the constructor closed everything.
            events.forEach(PerfEvent::close);
            o.close();
            throw e;
        }
    }

    BpfProgram program() {
        return program;
    }

    /** The task-work sampler's walks deferred into their tasks and done so far (its {@code walks} counter); 0 else. */
    long deferredWalks() throws BpfException {
        return object.name().equals(TASK_WORK_OBJECT) ? object.readGlobalLong(".bss", "walks", 0) : 0;
    }

    /** Samples that reached the ring buffer's reader so far. */
    long records() {
        return records.get();
    }

    @Override
    public void close() {
        links.forEach(BpfLink::close);
        events.forEach(PerfEvent::close);
        stopping = true;
        try {
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        object.close();
    }
}
