package io.mapsnap.benchmarks;

import java.nio.file.Path;

import io.mapsnap.kernel.btf.Btf;

/**
 * Row 4 (cold): run in a fresh JVM by {@link ColdJvmSuite}; reads and parses the kernel's BTF once and prints the
 * nanoseconds that took (JVM start-up not included) and the number of types.
 */
public final class BtfColdParse {
    private BtfColdParse() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Btf btf = Btf.read(Path.of(args.length > 0 ? args[0] : "/sys/kernel/btf/vmlinux"));
        long ns = System.nanoTime() - t0;
        System.out.println(ns + " " + btf.typeCount());
    }
}
