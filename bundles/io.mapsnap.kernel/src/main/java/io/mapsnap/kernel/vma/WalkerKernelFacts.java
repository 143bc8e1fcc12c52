package io.mapsnap.kernel.vma;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;

/**
 * What every walker object is told about the running kernel before it loads (its rodata). Read once: the kernel
 * does not change while it runs, and every walker needs the same answers.
 *
 * @param specialMappingName address of special_mapping_name: a VMA whose vm_ops->name is it is a [vdso]/[vvar]
 *        style mapping; 0 when unknown (special mappings then stay unnamed)
 * @param backingFile the FMODE_BACKING bit, measured ({@link BackingFileMode}); 0 without backing files
 * @param anonInodefsDname address of anon_inodefs_dname, the d_dname of anon inode files ("anon_inode:NAME"); 0
 *        when unknown (a walker building paths from dentries then flags such files' paths incomplete)
 * @param simpleDname address of simple_dname, the d_dname of memfd and SysV shm files ("/NAME (deleted)"); 0 when
 *        unknown
 * @param sockfsDname address of sockfs_dname, the d_dname of sockets ("socket:[INODE]"); 0 when unknown
 */
public record WalkerKernelFacts(long specialMappingName, BackingFileMode backingFile, long anonInodefsDname,
        long simpleDname, long sockfsDname) {
    private static final String SPECIAL_MAPPING_NAME = "special_mapping_name";
    private static final String ANON_INODEFS_DNAME = "anon_inodefs_dname";
    private static final String SIMPLE_DNAME = "simple_dname";
    private static final String SOCKFS_DNAME = "sockfs_dname";

    /** Sets these facts as the rodata of an object that walks or names VMAs (include/mapsnap_walk.h), before it loads. */
    public void setRodata(BpfObject object) throws BpfException {
        object.setRodata("special_mapping_name_addr", specialMappingName);
        object.setRodataInt("fmode_backing", fmodeBacking());
        object.setRodata("anon_inodefs_dname_addr", anonInodefsDname);
        object.setRodata("simple_dname_addr", simpleDname);
        object.setRodata("sockfs_dname_addr", sockfsDname);
    }

    /** The running kernel's facts, read on first use. */
    public static WalkerKernelFacts running() {
        return Running.FACTS;
    }

    static WalkerKernelFacts read(Path procRoot) {
        Map<String, Long> symbols = KernelSymbolAddress.of(procRoot.resolve("kallsyms"),
                Set.of(SPECIAL_MAPPING_NAME, ANON_INODEFS_DNAME, SIMPLE_DNAME, SOCKFS_DNAME));
        return new WalkerKernelFacts(symbols.getOrDefault(SPECIAL_MAPPING_NAME, 0L), BackingFileMode.running(procRoot),
                symbols.getOrDefault(ANON_INODEFS_DNAME, 0L), symbols.getOrDefault(SIMPLE_DNAME, 0L),
                symbols.getOrDefault(SOCKFS_DNAME, 0L));
    }

    /** The FMODE_BACKING bit for the walkers' {@code fmode_backing} rodata. */
    public int fmodeBacking() {
        return backingFile.bit();
    }

    private static final class Running {
        static final WalkerKernelFacts FACTS = read(Path.of("/proc"));
    }
}
