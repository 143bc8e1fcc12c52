package io.mapsnap.bpfiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantSelection;
import io.mapsnap.kernel.vma.IterVmaSource;

/**
 * Each variant of the iter/task_vma walker on the host kernel (5.12+; root), against the kernel's own view, the
 * selftests' way: a sleeping child's snapshot equals /proc/PID/maps except [vsyscall], which is not a VMA of the mm.
 * What to expect comes from what loaded: a variant this kernel refuses is reported skipped with the verifier's words
 * (the kernel matrix runs it where it loads), and its refusal must carry them.
 */
class BpfIterVmaSourceTest {
    private Process sleeper;
    private int pid;

    static Stream<ProgramVariant> variants() {
        return BpfIterVmaSource.variants().stream();
    }

    @BeforeEach
    void startSleeper() throws Exception {
        sleeper = new ProcessBuilder("sleep", "30").start();
        pid = (int) sleeper.pid();
        // sleep has mapped everything once it blocks; wait until its state says so.
        for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") S "); i++) {
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stopSleeper() throws Exception {
        sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void snapshotEqualsProcMapsAndRepeats(ProgramVariant variant) throws Exception {
        IterVmaSource source = loaded(variant, 65536);
        try {
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            VmaSnapshot first = source.snapshot(pid);
            // A second read is a new iterator session: it must open its own header and close its own trailer.
            VmaSnapshot second = source.snapshot(pid);
            assertEquals(maps.replaceAll("(?m)^.* \\[vsyscall\\]\n", ""), first.toProcMaps());
            assertEquals(first.vmas(), second.vmas());
            assertFalse(first.truncated());
            assertEquals("sleep", first.comm());
            assertEquals("bpf-iter", first.source());
        } finally {
            source.close();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void walkStopsAtMaxVmasAndSaysSo(ProgramVariant variant) throws Exception {
        IterVmaSource source = loaded(variant, 5);
        try {
            VmaSnapshot snap = source.snapshot(pid);
            assertTrue(snap.truncated());
            List<String> firstFive = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).subList(0, 5);
            assertEquals(firstFive, snap.toProcMaps().lines().toList());
        } finally {
            source.close();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void exitedProcessIsGone(ProgramVariant variant) throws Exception {
        IterVmaSource source = loaded(variant, 65536);
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> source.snapshot((int) p.pid()));
            assertEquals(p.pid(), e.tgid());
        } finally {
            source.close();
        }
    }

    /** The variant loaded on its own; a refusal must name the kernel's reason, and the test is then skipped. */
    private static IterVmaSource loaded(ProgramVariant variant, int maxVmas) {
        VariantSelection<IterVmaSource> s = IterVmaSource.select("bpf-iter", maxVmas, List.of(variant));
        VariantVerdict verdict = s.verdicts().get(0);
        if (!verdict.accepted()) {
            assertFalse(verdict.reason().isBlank(), "a refusal without a reason: " + verdict);
        }
        Assumptions.assumeTrue(verdict.accepted(), () -> variant.name() + " cannot run on this kernel: "
                + verdict.summary());
        return s.chosen().orElseThrow();
    }
}
