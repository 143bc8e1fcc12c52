package io.mapsnap.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.kernel.btf.Btf;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.HookedVmaCollector;
import io.mapsnap.kernel.vma.IterVmaSource;

/**
 * The legacy objects run exactly where the kernel still keeps VMAs in the mm->mmap list: where its BTF has the list
 * they load and walk this process; where it does not (6.1+, the maple tree) the kernel refuses them, and the refusal
 * quotes libbpf's unresolved CO-RE relocation of mm->mmap. That is what lets them ship in every assembly: on a new
 * kernel they register a status saying why, never a source that walks nothing. VmaCollectorEquivalenceIT and
 * VmaSourceEquivalenceIT compare their walks with /proc on 5.10 in the kernel matrix.
 */
class LegacyProgramsTest {
    @Test
    void theWalkerRunsExactlyWhereTheListExists() throws Exception {
        VariantSelection<IterVmaSource> s = IterVmaSource.select("legacy", 65536, LegacyVmaSource.variants());
        s.chosen().ifPresent(IterVmaSource::close);
        assertVerdictMatchesTheKernel(s.verdicts(), LegacyVmaSource.variants());
    }

    @Test
    void theCollectorRunsExactlyWhereTheListExists() throws Exception {
        VariantSelection<HookedVmaCollector> s = HookedVmaCollector.select("legacy", 65536, Duration.ofSeconds(1),
                LegacyVmaCollector.variants());
        assertVerdictMatchesTheKernel(s.verdicts(), LegacyVmaCollector.variants());
    }

    private static void assertVerdictMatchesTheKernel(List<VariantVerdict> verdicts, List<ProgramVariant> variants)
            throws Exception {
        assertEquals(variants.size(), verdicts.size());
        VariantVerdict v = verdicts.get(0);
        boolean list = Btf.read(Path.of("/sys/kernel/btf/vmlinux")).hasMember("mm_struct", "mmap");
        if (list) {
            assertTrue(v.accepted(), "the kernel has mm->mmap but refused " + v);
        } else {
            // libbpf names the first relocation it could not resolve: either end of the list, by instruction order.
            assertTrue(!v.accepted() && v.reason().contains("CO-RE relocation")
                    && (v.reason().contains("mm_struct___legacy.mmap")
                            || v.reason().contains("vm_area_struct___legacy.vm_next")),
                    "expected libbpf's CO-RE refusal of the list: " + v);
        }
    }
}
