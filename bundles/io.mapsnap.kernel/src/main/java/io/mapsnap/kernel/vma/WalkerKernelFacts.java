package io.mapsnap.kernel.vma;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.mapsnap.kernel.internal.release.KernelRelease;

/**
 * What every walker object is told about the running kernel before it loads (its rodata). Read once: the
 * kernel does not change while it runs, and every walker needs the same answers.
 *
 * @param specialMappingName address of special_mapping_name: a VMA whose vm_ops->name is it is a [vdso]/[vvar]
 *        style mapping; 0 when unknown (special mappings then stay unnamed)
 * @param fmodeBacking the FMODE_BACKING bit ({@link BackingFileMode}), 0 without backing files
 * @param anonInodefsDname address of anon_inodefs_dname, the d_dname of anon inode files ("anon_inode:NAME"); 0
 *        when unknown (a walker building paths from dentries then flags such files' paths incomplete)
 * @param simpleDname address of simple_dname, the d_dname of memfd and SysV shm files ("/NAME (deleted)"); 0 when
 *        unknown
 * @param sockfsDname address of sockfs_dname, the d_dname of sockets ("socket:[INODE]"); 0 when unknown
 */
record WalkerKernelFacts(long specialMappingName, int fmodeBacking, long anonInodefsDname, long simpleDname,
        long sockfsDname) {
    private static final String SPECIAL_MAPPING_NAME = "special_mapping_name";
    private static final String ANON_INODEFS_DNAME = "anon_inodefs_dname";
    private static final String SIMPLE_DNAME = "simple_dname";
    private static final String SOCKFS_DNAME = "sockfs_dname";
    // Added by the 6.14 fsnotify rework that moved FMODE_BACKING; present where a stable kernel took it.
    private static final String FSNOTIFY_REWORK_MARKER = "file_set_fsnotify_mode";

    /** The running kernel's facts, read on first use. */
    static WalkerKernelFacts running() {
        return Running.FACTS;
    }

    static WalkerKernelFacts read(Path procRoot) {
        Map<String, Long> symbols = KernelSymbolAddress.of(procRoot.resolve("kallsyms"),
                Set.of(SPECIAL_MAPPING_NAME, FSNOTIFY_REWORK_MARKER, ANON_INODEFS_DNAME, SIMPLE_DNAME,
                        SOCKFS_DNAME));
        int fmodeBacking;
        try {
            fmodeBacking = BackingFileMode.forRelease(KernelRelease.read(procRoot),
                    symbols.containsKey(FSNOTIFY_REWORK_MARKER));
        } catch (UncheckedIOException e) {
            fmodeBacking = 0;
        }
        return new WalkerKernelFacts(symbols.getOrDefault(SPECIAL_MAPPING_NAME, 0L), fmodeBacking,
                symbols.getOrDefault(ANON_INODEFS_DNAME, 0L), symbols.getOrDefault(SIMPLE_DNAME, 0L),
                symbols.getOrDefault(SOCKFS_DNAME, 0L));
    }

    private static final class Running {
        static final WalkerKernelFacts FACTS = read(Path.of("/proc"));
    }
}
