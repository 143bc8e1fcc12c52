package io.mapsnap.symbolizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.mapsnap.symbolizer.TestPrograms.NmSymbol;

/**
 * What llvm-nm says an address should be named: the sized symbols that cover it with the highest start (the
 * innermost when symbols nest); several names when aliases share that start (libc's malloc and __libc_malloc).
 */
final class ExpectedFunctions {
    private final List<NmSymbol> symbols;

    ExpectedFunctions(List<NmSymbol> symbols) {
        this.symbols = symbols.stream().filter(s -> s.size() > 0).toList();
    }

    record Expected(Set<String> names, long offset) {
    }

    /** The expectation at link-time address {@code address}, or null when no sized symbol covers it. */
    Expected at(long address) {
        long best = -1;
        Set<String> names = new TreeSet<>();
        for (NmSymbol s : symbols) {
            if (Long.compareUnsigned(address - s.address(), s.size()) < 0) {
                if (best == -1 || Long.compareUnsigned(s.address(), best) > 0) {
                    best = s.address();
                    names.clear();
                }
                if (s.address() == best) {
                    names.add(s.name());
                }
            }
        }
        return best == -1 ? null : new Expected(names, address - best);
    }

    /** Link-time addresses to probe in each sized symbol: its first, middle and last byte. */
    static List<Long> probes(List<NmSymbol> symbols) {
        List<Long> out = new ArrayList<>();
        for (NmSymbol s : symbols) {
            if (s.size() > 0) {
                out.add(s.address());
                out.add(s.address() + s.size() / 2);
                out.add(s.address() + s.size() - 1);
            }
        }
        return out;
    }
}
