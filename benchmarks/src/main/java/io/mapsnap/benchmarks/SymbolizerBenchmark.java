package io.mapsnap.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.symbolizer.ElfSymbolizer;

/**
 * Cached symbolization: {@link #ADDRESSES} addresses (half libc, half libjvm.so, see {@link SymbolizerWorkload})
 * per call, on a symbolizer that has parsed both files already. One operation is one address.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SymbolizerBenchmark {
    static final int ADDRESSES = 1000;

    private SymbolizerWorkload workload;
    private ElfSymbolizer symbolizer;
    private long[] addresses;

    @Setup
    public void setUp() throws Exception {
        workload = new SymbolizerWorkload();
        symbolizer = SymbolizerWorkload.freshSymbolizer();
        addresses = workload.mixed(ADDRESSES);
        symbolizer.symbolizeUser(workload.snapshot, addresses);
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public List<Frame> symbolizeCached() {
        return symbolizer.symbolizeUser(workload.snapshot, addresses);
    }
}
