package io.mapsnap.kernel.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.FaultInjection;

/** Trying variants best first, on the real loader, with the kernel bundle's own probe objects. */
class VariantSelectionTest {
    private static final ProgramVariant MINIMAL = new ProgramVariant("minimal", "probe_minimal", BpfObject.class);
    private static final ProgramVariant RINGBUF = new ProgramVariant("ringbuf", "probe_ringbuf", BpfObject.class);
    private static final ProgramVariant MISSING = new ProgramVariant("missing", "no_such_object", BpfObject.class);

    @AfterEach
    void clear() {
        System.clearProperty(FaultInjection.PROPERTY);
    }

    @Test
    void theFirstThatLoadsRunsAndLaterOnesAreNotTried() {
        List<BpfObject> accepted = new ArrayList<>();
        VariantSelection<String> s = VariantSelection.firstAccepted(List.of(MISSING, MINIMAL, RINGBUF), (v, o) -> { },
                (v, o) -> {
                    accepted.add(o);
                    return new VariantSelection.Accepted<>(v.name(), "loaded");
                });
        assertEquals("minimal", s.chosen().orElseThrow());
        assertEquals(List.of("missing", "minimal"), s.verdicts().stream().map(VariantVerdict::variant).toList());
        assertFalse(s.verdicts().get(0).accepted());
        assertTrue(s.verdicts().get(0).reason().contains("no_such_object"), s.verdicts().get(0).reason());
        assertTrue(accepted.get(0).isLoaded(), "the accepted object is the caller's, still loaded");
        accepted.forEach(BpfObject::close);
    }

    @Test
    void anInjectedRefusalHandsOverToTheNextVariant() {
        System.setProperty(FaultInjection.PROPERTY, "probe_minimal");
        VariantSelection<String> s = VariantSelection.firstAccepted(List.of(MINIMAL, RINGBUF), (v, o) -> { },
                (v, o) -> {
                    o.close();
                    return new VariantSelection.Accepted<>(v.name(), "loaded");
                });
        assertEquals("ringbuf", s.chosen().orElseThrow());
        VariantVerdict refused = s.verdicts().get(0);
        assertTrue(refused.injected(), refused.toString());
        assertEquals("EACCES", refused.errno());
    }

    @Test
    void aFailedCheckRefusesTheVariantAndClosesItsObject() {
        List<BpfObject> checked = new ArrayList<>();
        VariantSelection<String> s = VariantSelection.firstAccepted(List.of(MINIMAL), (v, o) -> { }, (v, o) -> {
            checked.add(o);
            throw new VariantRefusedException("EBUSY", "loaded, but its check failed");
        });
        assertTrue(s.chosen().isEmpty());
        assertEquals(VariantVerdict.refused("minimal", "probe_minimal.bpf.o", "EBUSY", "loaded, but its check failed",
                false), s.verdicts().get(0));
        // Closed by the selection: using it now fails.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checked.get(0).readGlobal(".bss", "result"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
