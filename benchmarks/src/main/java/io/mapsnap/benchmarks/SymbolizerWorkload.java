package io.mapsnap.benchmarks;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.SplittableRandom;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.procfs.ProcfsVmaSource;
import io.mapsnap.symbolizer.ElfSymbolizer;
import io.mapsnap.symbolizer.SymbolizerConfiguration;

/**
 * What the symbolizer rows resolve: addresses in this JVM's own executable mappings of libc ({@code .dynsym} only
 * on Debian, ~3,000 symbols) and of libjvm.so (a {@code .symtab} of ~70,000 symbols in a 29 MB file), drawn
 * uniformly at random with a fixed seed, against this JVM's own map (the procfs source).
 */
final class SymbolizerWorkload {
    static final String LIBC = "/libc.so.6";
    static final String LIBJVM = "/libjvm.so";
    private static final long SEED = 0x6d6170736e6170L;

    final VmaSnapshot snapshot;

    SymbolizerWorkload() throws VmaCaptureException {
        snapshot = new ProcfsVmaSource().snapshot((int) ProcessHandle.current().pid());
    }

    /** {@code count} addresses in the executable mappings of the file whose path ends in {@code suffix}. */
    long[] addressesIn(String suffix, int count) {
        List<Vma> text = snapshot.vmas().stream()
                .filter(v -> v.permissions().execute() && v.path() != null && v.path().endsWith(suffix)).toList();
        if (text.isEmpty()) {
            throw new IllegalStateException("this JVM maps no executable " + suffix);
        }
        long total = text.stream().mapToLong(v -> v.end() - v.start()).sum();
        SplittableRandom random = new SplittableRandom(SEED ^ suffix.hashCode());
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long at = random.nextLong(total);
            for (Vma v : text) {
                if (at < v.end() - v.start()) {
                    out[i] = v.start() + at;
                    break;
                }
                at -= v.end() - v.start();
            }
        }
        return out;
    }

    /** Half libc, half libjvm, interleaved. */
    long[] mixed(int count) {
        long[] libc = addressesIn(LIBC, (count + 1) / 2);
        long[] jvm = addressesIn(LIBJVM, count / 2);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = i % 2 == 0 ? libc[i / 2] : jvm[i / 2];
        }
        return out;
    }

    /** A fresh symbolizer with the component's defaults, as its tests construct it: nothing parsed yet. */
    static ElfSymbolizer freshSymbolizer() {
        SymbolizerConfiguration defaults = (SymbolizerConfiguration) Proxy.newProxyInstance(
                SymbolizerConfiguration.class.getClassLoader(), new Class<?>[] { SymbolizerConfiguration.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> SymbolizerConfiguration.class;
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "SymbolizerConfiguration(defaults)";
                    default -> method.getDefaultValue();
                });
        return new ElfSymbolizer(defaults);
    }

    static int named(List<Frame> frames) {
        return (int) frames.stream().filter(Frame::resolved).count();
    }
}
