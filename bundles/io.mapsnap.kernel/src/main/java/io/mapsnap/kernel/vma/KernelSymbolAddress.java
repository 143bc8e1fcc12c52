package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks kernel text symbols up in /proc/kallsyms (about 120,000 lines: one pass for all the names wanted).
 */
public final class KernelSymbolAddress {
    private KernelSymbolAddress() {
    }

    /**
     * The addresses of those {@code symbols} that are present; absent or hidden ones (kptr_restrict prints zeros)
     * are missing from the map, and so is everything when the file cannot be read.
     */
    public static Map<String, Long> of(Path kallsyms, Set<String> symbols) {
        Map<String, Long> found = new HashMap<>();
        try (Stream<String> lines = Files.lines(kallsyms)) {
            lines.map(l -> l.split(" "))
                    .filter(f -> f.length >= 3 && symbols.contains(f[2]) && (f[1].equals("t") || f[1].equals("T")))
                    .forEach(f -> {
                        long address = Long.parseUnsignedLong(f[0], 16);
                        if (address != 0) {
                            found.putIfAbsent(f[2], address);
                        }
                    });
        } catch (IOException | NumberFormatException e) {
            return Map.of();
        }
        return found;
    }
}
