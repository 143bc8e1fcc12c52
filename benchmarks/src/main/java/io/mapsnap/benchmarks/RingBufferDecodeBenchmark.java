package io.mapsnap.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.RingBufferReader;
import io.mapsnap.kernel.internal.syscall.Syscalls;
import io.mapsnap.kernel.vma.VmaRecordDecoder;
import io.mapsnap.kernel.vma.WalkedProcess;

/**
 * Row 3: records per second from a BPF ring buffer to Java objects, by both consumption paths. Before each
 * invocation (untimed) ring_producer.bpf.o fills the ring with {@value #SNAPSHOTS} synthetic snapshots in the
 * walkers' record format; the invocation consumes them exactly as {@code IterVmaWalker} does: each record decoded
 * by {@link VmaRecordDecoder} straight from the ring into {@code Vma} records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RingBufferDecodeBenchmark {
    static final int SNAPSHOTS = 20;
    static final int VMAS_PER_SNAPSHOT = 1000;
    /** Header, VMAs and trailer of every snapshot. */
    static final int RECORDS = SNAPSHOTS * (VMAS_PER_SNAPSHOT + 2);

    @Param({"MMAP", "LIBBPF"})
    public RingBufferReader.Mode mode;

    private BpfObject producer;
    private RingBufferReader reader;
    private final List<WalkedProcess> walked = new ArrayList<>(SNAPSHOTS);
    private VmaRecordDecoder decoder;

    @Setup(Level.Trial)
    public void load() throws BpfException, IOException {
        byte[] elf;
        try (InputStream in = RingBufferDecodeBenchmark.class.getResourceAsStream("/bpf/ring_producer.bpf.o")) {
            if (in == null) {
                throw new IOException("/bpf/ring_producer.bpf.o is missing (benchmarks/native/build.sh builds it)");
            }
            elf = in.readAllBytes();
        }
        producer = BpfObject.open("ring_producer", elf);
        producer.setRodataInt("vmas_per_snapshot", VMAS_PER_SNAPSHOT);
        producer.load();
        producer.program("ring_producer").attach();
        reader = RingBufferReader.open(producer.map("records"), r -> decoder.accept(r),
                mode);
    }

    /** Untimed: the producer emits one snapshot per syscall of this thread until its countdown is done. */
    @Setup(Level.Invocation)
    public void fill() throws BpfException {
        walked.clear();
        decoder = new VmaRecordDecoder(walked::add);
        int tid = Syscalls.get().gettid();
        producer.writeGlobal(".data.control", "control", java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(tid).putInt(SNAPSHOTS).array());
        // Each read is a bpf() syscall of this thread, so it triggers a snapshot itself.
        while (producer.readGlobalLong(".data.control", "control", 0) >>> 32 != 0) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public List<WalkedProcess> consumeAndDecode() throws BpfException {
        int n = reader.consume();
        if (n != RECORDS) {
            throw new IllegalStateException("consumed " + n + " records, expected " + RECORDS + " (dropped: "
                    + dropped() + ")");
        }
        decoder.finish();
        return walked;
    }

    private long dropped() {
        try {
            return producer.readGlobalLong(".bss", "dropped", 0);
        } catch (BpfException e) {
            return -1;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (reader != null) {
            reader.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
