package io.mapsnap.kernel.vma;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What every walker object is told about the running kernel before it loads (its rodata). Read once: the kernel
 * does not change while it runs, and every walker needs the same answers.
 *
 * @param specialMappingName address of special_mapping_name: a VMA whose vm_ops->name is it is a [vdso]/[vvar]
 *        style mapping; 0 when unknown (special mappings then stay unnamed)
 * @param backingFile the FMODE_BACKING bit, measured ({@link BackingFileMode}); 0 without backing files
 */
public record WalkerKernelFacts(long specialMappingName, BackingFileMode backingFile) {
    private static final String SPECIAL_MAPPING_NAME = "special_mapping_name";

    /** The running kernel's facts, read on first use. */
    public static WalkerKernelFacts running() {
        return Running.FACTS;
    }

    static WalkerKernelFacts read(Path procRoot) {
        Map<String, Long> symbols = KernelSymbolAddress.of(procRoot.resolve("kallsyms"), Set.of(SPECIAL_MAPPING_NAME));
        return new WalkerKernelFacts(symbols.getOrDefault(SPECIAL_MAPPING_NAME, 0L), BackingFileMode.running(procRoot));
    }

    /** The FMODE_BACKING bit for the walkers' {@code fmode_backing} rodata. */
    public int fmodeBacking() {
        return backingFile.bit();
    }

    private static final class Running {
        static final WalkerKernelFacts FACTS = read(Path.of("/proc"));
    }
}
