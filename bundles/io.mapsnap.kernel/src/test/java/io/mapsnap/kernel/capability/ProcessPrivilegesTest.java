package io.mapsnap.kernel.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessPrivilegesTest {
    @Test
    void readsCapEffBits() {
        long eff = ProcessPrivileges.parseCapEff(List.of("Name:\tjava", "CapInh:\t0000000000000000",
                "CapEff:\t000000c000200000", "CapBnd:\t000001ffffffffff"));
        ProcessPrivileges p = new ProcessPrivileges(eff, false, "8388608");
        assertTrue(p.has(ProcessPrivileges.CAP_BPF));
        assertTrue(p.has(ProcessPrivileges.CAP_PERFMON));
        assertTrue(p.has(ProcessPrivileges.CAP_SYS_ADMIN));
        assertFalse(p.has(0));
    }

    @Test
    void readsTheMemlockSoftLimit() {
        List<String> limits = List.of(
                "Limit                     Soft Limit           Hard Limit           Units",
                "Max locked memory         8388608              8388608              bytes",
                "Max address space         unlimited            unlimited            bytes");
        assertEquals("8388608", ProcessPrivileges.parseMemlockSoftLimit(limits));
        assertEquals("unlimited", ProcessPrivileges.parseMemlockSoftLimit(
                List.of("Max locked memory         unlimited            unlimited            bytes")));
    }

    @Test
    void missingLinesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> ProcessPrivileges.parseCapEff(List.of("Name: x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessPrivileges.parseMemlockSoftLimit(List.of()));
        assertTrue(e.getMessage().contains("Max locked memory"));
    }
}
