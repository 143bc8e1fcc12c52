package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkerKernelFactsTest {
    @Test
    void oneScanFindsEverySymbol(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.12.118+deb13-amd64\n");
        Files.writeString(proc.resolve("kallsyms"), """
                ffffffff81608e60 t __pfx_special_mapping_name
                ffffffff81608e70 t special_mapping_name
                ffffffff814af780 T file_set_fsnotify_mode
                ffffffff82000000 D special_mapping_name
                ffffffff81739320 T simple_dname
                ffffffff8175a820 t anon_inodefs_dname
                ffffffff81e732c0 t sockfs_dname
                """);
        WalkerKernelFacts facts = WalkerKernelFacts.read(proc);
        assertEquals(0xffffffff81608e70L, facts.specialMappingName());
        assertEquals(1 << 24, facts.fmodeBacking()); // 6.12 with the fsnotify rework backported
        assertEquals(0xffffffff8175a820L, facts.anonInodefsDname());
        assertEquals(0xffffffff81739320L, facts.simpleDname());
        assertEquals(0xffffffff81e732c0L, facts.sockfsDname());
    }

    @Test
    void hiddenAddressesAndOldKernelsGiveZero(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.12.5\n");
        Files.writeString(proc.resolve("kallsyms"), "0000000000000000 t special_mapping_name\n");
        WalkerKernelFacts facts = WalkerKernelFacts.read(proc);
        assertEquals(0, facts.specialMappingName()); // kptr_restrict prints zeros
        assertEquals(0, facts.anonInodefsDname()); // absent: a dentry walker flags such paths incomplete
        assertEquals(1 << 25, facts.fmodeBacking());
    }

    @Test
    void theRunningKernelNamesItsSpecialMappingsAndDnames() {
        assertNotEquals(0, WalkerKernelFacts.running().specialMappingName(),
                "special_mapping_name must be in /proc/kallsyms for root");
        assertNotEquals(0, WalkerKernelFacts.running().anonInodefsDname(), "anon_inodefs_dname in /proc/kallsyms");
        assertNotEquals(0, WalkerKernelFacts.running().simpleDname(), "simple_dname in /proc/kallsyms");
        assertNotEquals(0, WalkerKernelFacts.running().sockfsDname(), "sockfs_dname in /proc/kallsyms");
    }
}
