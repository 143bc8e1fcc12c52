package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;

/**
 * What the probes must find on each kernel mapsnap is tested on, from facts verified by hand on those kernels
 * (../shared/DESIGN.md and KERNELS.md), recorded in integration-tests/kernels/expectations. A probe that answers differently is a bug in the probe or a kernel that
 * changed under us: either way the test says which capability and shows the evidence.
 */
@ExtendWith(ServiceExtension.class)
class KernelProbesIT {
    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    /**
     * Expected answers for a kernel series from integration-tests/kernels/expectations/SERIES.properties (shared
     * with the QEMU matrix); capabilities not listed are not asserted. Empty when the series has no file.
     */
    static Map<Capability, Boolean> expectations(String series) throws IOException {
        Map<Capability, Boolean> e = new LinkedHashMap<>();
        String dir = System.getProperty("mapsnap.kernel.expectations");
        if (dir == null) {
            throw new IllegalStateException("system property mapsnap.kernel.expectations is not set (see itest.bndrun)");
        }
        Path file = Path.of(dir, series + ".properties");
        if (!Files.exists(file)) {
            return e;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            if (!key.equals("best-source")) {
                e.put(Capability.ofKey(key), p.getProperty(key).trim().equals("yes"));
            }
        }
        return e;
    }

    @Test
    void probesFindWhatThisKernelIsKnownToDo() throws IOException {
        String release = capabilities.kernelRelease();
        String series = release.replaceFirst("^(\\d+\\.\\d+).*", "$1");
        Map<Capability, Boolean> expected = expectations(series);
        Assumptions.assumeFalse(expected.isEmpty(),
                () -> "no recorded expectations for kernel series " + series + " (" + release + ")");
        StringBuilder wrong = new StringBuilder();
        expected.forEach((c, want) -> {
            CapabilityResult r = capabilities.result(c);
            if (r.available() != want) {
                wrong.append("\n  ").append(c.key()).append(": expected ").append(want ? "yes" : "no")
                        .append(", probe says ").append(r.available() ? "yes" : "no").append(" — ").append(r.evidence());
            }
        });
        if (!wrong.isEmpty()) {
            fail("kernel " + release + ":" + wrong);
        }
    }

    @Test
    void perfEventRefusalCarriesTheErrno() {
        CapabilityResult r = capabilities.result(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT);
        Assumptions.assumeTrue(capabilities.has(Capability.KFUNC_TASK_VMA_ITER) && !r.available(),
                () -> "the kfunc iterator is usable in perf_event context here, or absent: " + r.evidence());
        // -EBUSY on the reworked stable kernels (IRQs disabled); the code is the evidence consumers read.
        assertEquals(-16L, r.returnCode(), r.evidence());
    }
}
