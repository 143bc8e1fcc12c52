package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Looks a kernel text symbol up in /proc/kallsyms. Walkers use it to recognise special mappings: a VMA whose
 * vm_ops->name is the kernel's special_mapping_name is a [vdso]/[vvar]-style mapping.
 */
public final class KernelSymbolAddress {
    private KernelSymbolAddress() {
    }

    /** The address of {@code symbol}, or empty when it is absent or hidden (kptr_restrict prints zeros). */
    public static OptionalLong of(Path kallsyms, String symbol) {
        try (Stream<String> lines = Files.lines(kallsyms)) {
            return lines.map(l -> l.split(" "))
                    .filter(f -> f.length >= 3 && f[2].equals(symbol) && (f[1].equals("t") || f[1].equals("T")))
                    .mapToLong(f -> Long.parseUnsignedLong(f[0], 16))
                    .filter(a -> a != 0)
                    .findFirst();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** special_mapping_name on the running kernel, or 0 when unknown (special mappings then stay unnamed). */
    public static long specialMappingName() {
        return of(Path.of("/proc/kallsyms"), "special_mapping_name").orElse(0);
    }
}
