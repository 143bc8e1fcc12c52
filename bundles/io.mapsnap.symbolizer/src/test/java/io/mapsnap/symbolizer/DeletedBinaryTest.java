package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.symbolizer.TestPrograms.NmSymbol;
import io.mapsnap.symbolizer.TestPrograms.Variant;

/** The headline case: the process exited and its binary was deleted and replaced before symbolization. */
class DeletedBinaryTest {
    @TempDir
    Path dir;

    @Test
    void aBinaryDeletedAndReplacedAfterTheSnapshotIsReadThroughTheRetainedHandle() throws Exception {
        Path original = TestPrograms.build(Variant.PIE);
        List<NmSymbol> functions = ElfSymbolizationTest.ours(TestPrograms.functions(original, false));
        Path victim = dir.resolve("victim");
        Files.copy(original, victim);
        assertTrue(victim.toFile().setExecutable(true));

        ElfSymbolizer retaining = new ElfSymbolizer(SymbolizerSettings.defaults());
        ElfSymbolizer forgetful = new ElfSymbolizer(SymbolizerSettings.defaults());
        try {
            VmaSnapshot snapshot;
            long[] addresses;
            try (ServingProcess process = ServingProcess.start(victim)) {
                snapshot = process.snapshot();
                long bias = process.address("main") - ElfSymbolizationTest.address(functions, "main");
                addresses = functions.stream().mapToLong(s -> s.address() + bias + s.size() / 2).toArray();
                retaining.retain(snapshot);
                assertTrue(retaining.retainedFiles() >= 2, "the program and libc at least: " + retaining.retainedFiles());
                // Replace the binary under the same name by another ELF with the same function names at other
                // addresses: reading the path now would give plausible, wrong answers.
                Files.delete(victim);
                Files.copy(TestPrograms.build(Variant.NO_PIE), victim, StandardCopyOption.REPLACE_EXISTING);
            }
            assertFalse(Files.exists(Path.of("/proc/" + snapshot.tgid() + "/maps")), "the process is gone");

            List<Frame> frames = retaining.symbolizeUser(snapshot, addresses);
            for (int i = 0; i < addresses.length; i++) {
                assertEquals(functions.get(i).name(), frames.get(i).function(), frames.get(i)::toString);
                assertEquals(functions.get(i).size() / 2, frames.get(i).functionOffset());
                assertEquals(TestPrograms.buildId(original), frames.get(i).buildId());
            }
            assertNotEquals(TestPrograms.buildId(original), TestPrograms.buildId(victim));

            // Without the handle the replacement is refused (another inode), not misread.
            for (Frame f : forgetful.symbolizeUser(snapshot, addresses)) {
                assertFalse(f.resolved(), f::toString);
                assertEquals(victim.toString(), f.module());
            }
        } finally {
            retaining.deactivate();
            forgetful.deactivate();
        }
        assertEquals(0, retaining.retainedFiles(), "deactivate closes every handle");
    }

    @Test
    void retainedHandlesAreBoundedAndTheLeastRecentlyUsedIsClosed() throws Exception {
        SymbolizerSettings d = SymbolizerSettings.defaults();
        ElfSymbolizer small = new ElfSymbolizer(new SymbolizerSettings(d.procRoot(), d.perfMapDirectory(),
                d.debugDirectory(), d.kallsyms(), d.procModules(), 1, 1, d.perfMapMaxBytes(), d.perfMapMaxLines(),
                d.kallsymsRefresh(), d.limits()));
        try (ServingProcess process = ServingProcess.start(TestPrograms.build(Variant.PIE))) {
            small.retain(process.snapshot());
            assertEquals(1, small.retainedFiles());
        } finally {
            small.deactivate();
        }
    }
}
