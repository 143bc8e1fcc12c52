package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The switch's patterns, and a refused load that looks like the verifier's, on the real loader. */
class FaultInjectionTest {
    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
    }

    @Test
    void patternsMatchWholeObjectNames() {
        assertTrue(FaultInjection.matches("kfunc_vma_walker", "kfunc_vma_walker"));
        assertFalse(FaultInjection.matches("kfunc_vma_walker", "kfunc_vma_walker_dentry"));
        assertTrue(FaultInjection.matches("kfunc_vma_walker*", "kfunc_vma_walker_dentry"));
        assertTrue(FaultInjection.matches("*_vma_collector", "legacy_vma_collector"));
        assertTrue(FaultInjection.matches("*", "anything"));
        assertFalse(FaultInjection.matches("*walker", "kfunc_vma_collector"));
        // Regex characters in a name are literal.
        assertFalse(FaultInjection.matches("a.c", "abc"));
        assertEquals(List.of("a", "b*"), FaultInjection.entries(" a, ,b* ,"));
    }

    @Test
    void aRefusedObjectFailsToLoadWithTheSwitchAsItsReason() throws Exception {
        System.setProperty(FaultInjection.PROPERTY, "test_maps, probe_mini*");
        try (BpfObject o = TestObjects.open("probe_minimal")) {
            BpfLoadException e = assertThrows(BpfLoadException.class, o::load);
            assertTrue(e.injected());
            assertEquals(Errno.EACCES, e.errno());
            assertTrue(e.reason().contains(FaultInjection.LOG_LINE) && e.reason().contains("probe_mini*"),
                    e.reason());
            assertFalse(o.isLoaded());
        }
        System.clearProperty(FaultInjection.PROPERTY);
        try (BpfObject o = TestObjects.open("probe_minimal")) {
            o.load();
            assertTrue(o.isLoaded());
        }
    }
}
