package io.mapsnap.api.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComponentStatusTest {
    private static final VariantVerdict D_PATH = VariantVerdict.refused("d-path", "kfunc_vma_walker.bpf.o", "EACCES",
            "R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_", false);
    private static final VariantVerdict DENTRY = VariantVerdict.accepted("dentry-path",
            "kfunc_vma_walker_dentry.bpf.o", "loaded and walked this process");
    private static final VariantVerdict LIST = VariantVerdict.refused("vm-next-list", "legacy_vma_walker.bpf.o",
            "EINVAL", "failed to resolve CO-RE relocation", false);

    @Test
    void theFirstAcceptedVariantRuns() {
        ComponentStatus s = new ComponentStatus(ComponentKind.SOURCE, "kfunc", 400, List.of(D_PATH, DENTRY));
        assertTrue(s.available());
        assertEquals(DENTRY, s.running().orElseThrow());
        assertEquals("", s.refusal());
        assertEquals("source/kfunc", s.id());
    }

    @Test
    void aRefusalQuotesEachVariantInOneLine() {
        ComponentStatus one = new ComponentStatus(ComponentKind.SOURCE, "legacy", 300, List.of(LIST));
        assertEquals("EINVAL: failed to resolve CO-RE relocation", one.refusal());
        VariantVerdict dentry = VariantVerdict.refused("dentry-path", "x.bpf.o", null, "loaded, but no walk", true);
        ComponentStatus two = new ComponentStatus(ComponentKind.SOURCE, "kfunc", 400, List.of(D_PATH, dentry));
        assertFalse(two.available());
        assertEquals("d-path: EACCES: R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_; dentry-path: "
                + "loaded, but no walk", two.refusal());
        assertThrows(IllegalArgumentException.class,
                () -> new ComponentStatus(ComponentKind.SOURCE, "none", 0, List.of()));
    }

    @Test
    void whyUnavailableNamesTheRefusalOrWhatIsInstalled() {
        List<ComponentStatus> all = List.of(
                new ComponentStatus(ComponentKind.SOURCE, "legacy", 300, List.of(LIST)),
                new ComponentStatus(ComponentKind.SOURCE, "kfunc", 400, List.of(D_PATH, DENTRY)),
                new ComponentStatus(ComponentKind.COLLECTOR, "kfunc", 400, List.of(DENTRY)));
        assertEquals("legacy: cannot run here: EINVAL: failed to resolve CO-RE relocation",
                ComponentStatus.whyUnavailable(all, ComponentKind.SOURCE, "legacy"));
        assertEquals("source 'nope' is not installed; installed: kfunc, legacy (cannot run here)",
                ComponentStatus.whyUnavailable(all, ComponentKind.SOURCE, "nope"));
    }
}
