package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * Frames the kernel gave as (build ID, file offset), the build-ID sampler's: named through the file with that build
 * ID exactly as the same frame is named through its address, wherever the file was seen, and after the binary was
 * deleted and replaced; a build ID no file here has stays the build ID and offset.
 */
class BuildIdFrameTest {
    @TempDir
    Path dir;

    @Test
    void aBuildIdFrameIsNamedAsItsAddressIsThroughTheSameFile() throws Exception {
        Path program = TestPrograms.build(Variant.PIE);
        List<NmSymbol> functions = ElfSymbolizationTest.ours(TestPrograms.functions(program, false));
        String buildId = TestPrograms.buildId(program);
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults());
        try (ServingProcess process = ServingProcess.start(program)) {
            VmaSnapshot snapshot = process.snapshot();
            long bias = process.address("main") - ElfSymbolizationTest.address(functions, "main");
            long[] addresses = functions.stream().mapToLong(s -> s.address() + bias + s.size() / 2).toArray();
            List<Frame> byAddress = symbolizer.symbolizeUser(snapshot, addresses);
            for (int i = 0; i < addresses.length; i++) {
                Frame expected = byAddress.get(i);
                assertTrue(expected.resolved(), expected::toString);
                Frame own = symbolizer.symbolizeBuildId(buildId, expected.moduleOffset(), List.of(snapshot),
                        List.of());
                assertEquals(expected, own, "through the process's own map");
            }
        } finally {
            symbolizer.deactivate();
        }
    }

    @Test
    void theFileIsFoundInAnotherProcesssMapOrWhereItWasReadBefore() throws Exception {
        Path program = TestPrograms.build(Variant.PIE);
        List<NmSymbol> functions = ElfSymbolizationTest.ours(TestPrograms.functions(program, false));
        String buildId = TestPrograms.buildId(program);
        NmSymbol main = functions.stream().filter(s -> s.name().equals("main")).findFirst().orElseThrow();
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults());
        try (ServingProcess other = ServingProcess.start(program)) {
            VmaSnapshot elsewhere = other.snapshot();
            long offset = ElfSymbolizationTest.fileOffset(elsewhere, other.address("main")) + 1;

            Frame viaOther = symbolizer.symbolizeBuildId(buildId, offset, List.of(), List.of(elsewhere));
            assertEquals("main", viaOther.function(), viaOther::toString);
            assertEquals(1, viaOther.functionOffset());
            assertEquals(program.toString(), viaOther.module());
            assertEquals(offset, viaOther.address(), "no map of the sampled process: the address is the offset");

            Frame remembered = symbolizer.symbolizeBuildId(buildId, offset + main.size() / 2 - 1, List.of(),
                    List.of());
            assertEquals("main", remembered.function(), "read before under that build ID: " + remembered);
        } finally {
            symbolizer.deactivate();
        }
    }

    @Test
    void aBuildIdNoFileHereHasStaysTheBuildIdAndOffset() {
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults());
        try {
            String unknown = "00112233445566778899aabbccddeeff00112233";
            Frame f = symbolizer.symbolizeBuildId(unknown, 0x1234, List.of(), List.of());
            assertFalse(f.resolved());
            assertEquals("[build-id:" + unknown + "]", f.module());
            assertEquals(0x1234, f.moduleOffset());
            assertEquals(unknown, f.buildId());
        } finally {
            symbolizer.deactivate();
        }
    }

    @Test
    void aBinaryDeletedAndReplacedAfterExitIsStillTheFileOfItsBuildId() throws Exception {
        Path original = TestPrograms.build(Variant.PIE);
        String buildId = TestPrograms.buildId(original);
        Path victim = dir.resolve("victim");
        Files.copy(original, victim);
        assertTrue(victim.toFile().setExecutable(true));
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults());
        try {
            VmaSnapshot snapshot;
            long offset;
            try (ServingProcess process = ServingProcess.start(victim)) {
                snapshot = process.snapshot();
                offset = ElfSymbolizationTest.fileOffset(snapshot, process.address("main"));
                symbolizer.retain(snapshot);
                Files.delete(victim);
                Files.copy(TestPrograms.build(Variant.NO_PIE), victim, StandardCopyOption.REPLACE_EXISTING);
            }
            assertFalse(Files.exists(Path.of("/proc/" + snapshot.tgid() + "/maps")), "the process is gone");
            Frame f = symbolizer.symbolizeBuildId(buildId, offset, List.of(), List.of(snapshot));
            assertEquals("main", f.function(), f::toString);
            assertEquals(0, f.functionOffset());
            assertEquals(buildId, f.buildId());
        } finally {
            symbolizer.deactivate();
        }
    }

    /**
     * Looking for an unknown build ID through other processes' files must not push a deleted binary's symbols out of
     * the bounded cache: read again they could not be. (A one-module cache makes any parse during the search evict.)
     */
    @Test
    void searchingOtherFilesForABuildIdKeepsADeletedBinarysSymbols() throws Exception {
        Path victim = victim();
        String buildId = TestPrograms.buildId(victim);
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults().withCachedModules(1));
        try {
            long offset = nameMainByBuildIdThenDelete(symbolizer, victim, buildId, false);
            try (ServingProcess other = ServingProcess.start(TestPrograms.build(Variant.NO_PIE))) {
                VmaSnapshot elsewhere = other.snapshot();
                assertTrue(elsewhere.vmas().stream().filter(v -> v.permissions().execute() && v.isFileBacked())
                        .map(v -> v.path()).distinct().count() >= 2, "a search through several files: " + elsewhere);
                String unknown = "00112233445566778899aabbccddeeff00112233";
                Frame none = symbolizer.symbolizeBuildId(unknown, 0x10, List.of(), List.of(elsewhere));
                assertFalse(none.resolved(), none::toString);
            }
            Frame again = symbolizer.symbolizeBuildId(buildId, offset, List.of(), List.of());
            assertEquals("main", again.function(), "the deleted binary's symbols are still known: " + again);
        } finally {
            symbolizer.deactivate();
        }
    }

    /**
     * A deleted binary's symbols pushed out of the bounded cache by other files' (a one-module cache: any other
     * parse evicts) are read again through the handle retained while its process lived.
     */
    @Test
    void aDeletedBinarysSymbolsPushedOutOfTheCacheAreReadAgainThroughItsRetainedHandle() throws Exception {
        Path victim = victim();
        String buildId = TestPrograms.buildId(victim);
        ElfSymbolizer symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults().withCachedModules(1));
        try {
            long offset = nameMainByBuildIdThenDelete(symbolizer, victim, buildId, true);
            Path otherProgram = TestPrograms.build(Variant.NO_PIE);
            try (ServingProcess other = ServingProcess.start(otherProgram)) {
                Frame elsewhere = symbolizer.symbolizeUser(other.snapshot(), new long[] {other.address("main")})
                        .get(0);
                assertEquals("main", elsewhere.function(), "another file parsed: " + elsewhere);
                assertEquals(otherProgram.toString(), elsewhere.module());
            }
            Frame again = symbolizer.symbolizeBuildId(buildId, offset, List.of(), List.of());
            assertEquals("main", again.function(), "read again through the retained handle: " + again);
            assertEquals(victim.toString(), again.module());
        } finally {
            symbolizer.deactivate();
        }
    }

    /** A copy of the test program that a test may delete. */
    private Path victim() throws Exception {
        Path victim = dir.resolve("victim");
        Files.copy(TestPrograms.build(Variant.PIE), victim);
        assertTrue(victim.toFile().setExecutable(true));
        return victim;
    }

    /**
     * Runs {@code victim}, names its {@code main} by build ID through its map (its files retained first when
     * {@code retain}), and deletes it once the process is gone; returns main's file offset.
     */
    private static long nameMainByBuildIdThenDelete(ElfSymbolizer symbolizer, Path victim, String buildId,
            boolean retain) throws Exception {
        long offset;
        try (ServingProcess process = ServingProcess.start(victim)) {
            VmaSnapshot snapshot = process.snapshot();
            if (retain) {
                symbolizer.retain(snapshot);
            }
            offset = ElfSymbolizationTest.fileOffset(snapshot, process.address("main"));
            Frame first = symbolizer.symbolizeBuildId(buildId, offset, List.of(snapshot), List.of());
            assertEquals("main", first.function(), first::toString);
        }
        Files.delete(victim);
        return offset;
    }
}
