package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.kernel.btf.Btf;

class WalkerKernelFactsTest {
    @Test
    void oneScanFindsEveryTextSymbol(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("kallsyms"), """
                ffffffff81608e60 t __pfx_special_mapping_name
                ffffffff81608e70 t special_mapping_name
                ffffffff82000000 D special_mapping_name
                ffffffff81739320 T simple_dname
                ffffffff8175a820 t anon_inodefs_dname
                ffffffff81e732c0 t sockfs_dname
                """);
        Map<String, Long> found = KernelSymbolAddress.of(proc.resolve("kallsyms"),
                Set.of("special_mapping_name", "anon_inodefs_dname", "simple_dname", "sockfs_dname"));
        assertEquals(0xffffffff81608e70L, found.get("special_mapping_name"));
        assertEquals(0xffffffff8175a820L, found.get("anon_inodefs_dname"));
        assertEquals(0xffffffff81739320L, found.get("simple_dname"));
        assertEquals(0xffffffff81e732c0L, found.get("sockfs_dname"));
    }

    @Test
    void theHostsKallsymsGiveWhatALineByLineReadingFinds() throws Exception {
        Path kallsyms = Path.of("/proc/kallsyms");
        Set<String> names = Set.of("special_mapping_name", "simple_dname", "schedule", "vfs_read", "no_such_symbol");
        Map<String, Long> expected = new java.util.HashMap<>();
        for (String line : Files.readAllLines(kallsyms)) {
            String[] f = line.split("[ \t]+");
            if (f.length >= 3 && names.contains(f[2]) && (f[1].equals("t") || f[1].equals("T"))
                    && Long.parseUnsignedLong(f[0], 16) != 0) {
                expected.putIfAbsent(f[2], Long.parseUnsignedLong(f[0], 16));
            }
        }
        Assumptions.assumeTrue(!expected.isEmpty(), "/proc/kallsyms hides its addresses here");
        assertEquals(expected, KernelSymbolAddress.of(kallsyms, names));
    }

    @Test
    void hiddenAddressesAreAbsent(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("kallsyms"), "0000000000000000 t special_mapping_name\n");
        assertTrue(KernelSymbolAddress.of(proc.resolve("kallsyms"), Set.of("special_mapping_name")).isEmpty());
    }

    @Test
    void theRunningKernelNamesItsSpecialMappingsAndDnames() {
        assertNotEquals(0, WalkerKernelFacts.running().specialMappingName(),
                "special_mapping_name must be in /proc/kallsyms for root");
        assertNotEquals(0, WalkerKernelFacts.running().anonInodefsDname(), "anon_inodefs_dname in /proc/kallsyms");
        assertNotEquals(0, WalkerKernelFacts.running().simpleDname(), "simple_dname in /proc/kallsyms");
        assertNotEquals(0, WalkerKernelFacts.running().sockfsDname(), "sockfs_dname in /proc/kallsyms");
    }

    /**
     * The measured flag agrees with the kernel's BTF: a kernel with struct backing_file (6.6+) marks the overlayfs
     * mapping with exactly one of the candidate bits; one without has none.
     */
    @Test
    void backingFileModeIsMeasuredOnAFileMappedThroughOverlayfs() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("overlay")
                || new ProcessBuilder("modprobe", "-n", "overlay").start().waitFor() == 0,
                "overlayfs is not available on this kernel");
        BackingFileMode m = BackingFileMode.measure();
        assertTrue(m.conclusive(), m.evidence());
        boolean hasBackingFiles = Btf.read(Path.of("/sys/kernel/btf/vmlinux")).hasMember("backing_file", "user_path");
        if (hasBackingFiles) {
            assertTrue(m.bit() == 1 << 24 || m.bit() == 1 << 25, m.evidence());
        } else {
            assertEquals(0, m.bit(), m.evidence());
        }
    }
}
