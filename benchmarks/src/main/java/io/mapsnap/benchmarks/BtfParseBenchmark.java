package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.mapsnap.kernel.btf.Btf;
import io.mapsnap.kernel.btf.BtfFormatException;

/** Row 4 (warm): reading and parsing the kernel's BTF in a JVM that has done it many times before. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BtfParseBenchmark {
    static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private byte[] blob;

    @Setup
    public void read() throws IOException {
        blob = Files.readAllBytes(VMLINUX);
    }

    /** What the capability probes do: read the file and parse it. */
    @Benchmark
    public Btf readAndParse() throws IOException, BtfFormatException {
        return Btf.read(VMLINUX);
    }

    /** The parse alone, from bytes already in memory. */
    @Benchmark
    public Btf parseOnly() throws BtfFormatException {
        return Btf.parse(blob);
    }
}
