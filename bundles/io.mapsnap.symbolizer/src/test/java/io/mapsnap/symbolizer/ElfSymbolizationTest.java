package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.symbolizer.TestPrograms.NmSymbol;
import io.mapsnap.symbolizer.TestPrograms.Variant;

/**
 * User frames of live processes, compared with what llvm-nm lists for the same files: our programs in every
 * variant, the host's libc through .dynsym alone and through its build-ID debug file, and the vDSO.
 */
class ElfSymbolizationTest {
    private static final Path LIBC_DEBUG = Path.of("/usr/lib/debug");

    @TempDir
    Path noDebugFiles;

    private final List<ElfSymbolizer> started = new ArrayList<>();

    private ElfSymbolizer symbolizer(Path debugDirectory) {
        ElfSymbolizer s = new ElfSymbolizer(SymbolizerSettings.defaults().withDebugDirectory(debugDirectory));
        started.add(s);
        return s;
    }

    @AfterEach
    void deactivate() {
        started.forEach(ElfSymbolizer::deactivate);
    }

    @ParameterizedTest
    @EnumSource(names = {"PIE", "NO_PIE", "MINI_DEBUG_INFO"})
    void everyFunctionNmListsIsNamedAtItsFirstMiddleAndLastByte(Variant variant) throws Exception {
        Path program = TestPrograms.build(variant);
        List<NmSymbol> functions = TestPrograms.functions(TestPrograms.reference(variant), false);
        assertTrue(functions.stream().map(NmSymbol::name).collect(Collectors.toSet())
                .containsAll(Set.of("main", "leaf_sum", "local_mix", "middle_caller", "exported_entry")),
                () -> "llvm-nm lists " + TestPrograms.describe(functions));
        if (variant == Variant.MINI_DEBUG_INFO) {
            assertEquals(List.of(), TestPrograms.functions(program, false), "the MiniDebugInfo build has no .symtab of its own");
        }
        String buildId = TestPrograms.buildId(program);
        assertNotNull(buildId, "gcc on Debian links with --build-id");
        try (ServingProcess process = ServingProcess.start(program)) {
            long bias = process.address("main") - address(functions, "main");
            if (variant == Variant.NO_PIE) {
                assertEquals(0, bias, "a non-PIE executable runs at its link-time addresses");
            }
            VmaSnapshot snapshot = process.snapshot();
            List<Long> probes = ExpectedFunctions.probes(functions);
            long[] addresses = probes.stream().mapToLong(a -> a + bias).toArray();
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(snapshot, addresses);
            ExpectedFunctions expected = new ExpectedFunctions(functions);
            assertEquals(addresses.length, frames.size());
            for (int i = 0; i < addresses.length; i++) {
                Frame f = frames.get(i);
                ExpectedFunctions.Expected e = expected.at(probes.get(i));
                String where = String.format("0x%x (link-time 0x%x) -> %s", addresses[i], probes.get(i), f);
                assertTrue(e.names().contains(f.function()), () -> where + ", expected one of " + e.names());
                assertEquals(e.offset(), f.functionOffset(), where);
                assertEquals(FrameKind.USER, f.kind(), where);
                assertEquals(program.toString(), f.module(), where);
                assertEquals(fileOffset(snapshot, addresses[i]), f.moduleOffset(), where);
                assertEquals(buildId, f.buildId(), where);
            }
            System.out.printf("%s: %d addresses in %d functions named as llvm-nm lists them%n", variant, addresses.length,
                    functions.stream().filter(s -> s.size() > 0).count());
        }
    }

    @Test
    void aStrippedBinaryLeavesFramesUnresolvedAsModulePlusOffset() throws Exception {
        Path program = TestPrograms.build(Variant.STRIPPED);
        List<NmSymbol> functions = ours(TestPrograms.functions(TestPrograms.reference(Variant.STRIPPED), false));
        try (ServingProcess process = ServingProcess.start(program)) {
            long bias = process.address("main") - address(functions, "main");
            VmaSnapshot snapshot = process.snapshot();
            long[] addresses = functions.stream().mapToLong(s -> s.address() + bias + 1).toArray();
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(snapshot, addresses);
            String buildId = TestPrograms.buildId(program);
            for (int i = 0; i < addresses.length; i++) {
                Frame f = frames.get(i);
                assertFalse(f.resolved(), f::toString);
                long offset = fileOffset(snapshot, addresses[i]);
                assertEquals(program + "+0x" + Long.toHexString(offset), f.label());
                assertEquals(buildId, f.buildId(), "the build ID survives strip");
            }
        }
    }

    @Test
    void aStrippedBinaryStillNamesWhatItsDynsymExports() throws Exception {
        Path program = TestPrograms.build(Variant.STRIPPED_RDYNAMIC);
        List<NmSymbol> functions = ours(TestPrograms.functions(TestPrograms.reference(Variant.STRIPPED_RDYNAMIC), false));
        List<String> exported = TestPrograms.functions(program, true).stream().map(NmSymbol::name).toList();
        assertTrue(exported.containsAll(List.of("leaf_sum", "middle_caller", "exported_entry", "main")), exported::toString);
        assertFalse(exported.contains("local_mix"), "a static function is not exported");
        try (ServingProcess process = ServingProcess.start(program)) {
            long bias = process.address("main") - address(functions, "main");
            long[] addresses = functions.stream().mapToLong(s -> s.address() + bias + s.size() / 2).toArray();
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(process.snapshot(), addresses);
            for (int i = 0; i < addresses.length; i++) {
                NmSymbol s = functions.get(i);
                Frame f = frames.get(i);
                if (s.name().equals("local_mix")) {
                    // Its neighbours in .dynsym are sized and do not cover it: no guessing by nearest symbol.
                    assertNull(f.function(), f::toString);
                } else {
                    assertEquals(s.name(), f.function());
                    assertEquals(s.size() / 2, f.functionOffset());
                }
            }
        }
    }

    @Test
    void libcIsNamedThroughDynsymAlone() throws Exception {
        Path program = TestPrograms.build(Variant.PIE);
        try (ServingProcess process = ServingProcess.start(program)) {
            VmaSnapshot snapshot = process.snapshot();
            Path libc = libc(snapshot);
            List<NmSymbol> dynsym = TestPrograms.functions(libc, true);
            long bias = process.address("getpid") - address(dynsym, "getpid");
            // Every 7th function: a few hundred across the whole text, start, middle and last byte of each.
            List<NmSymbol> sample = new ArrayList<>();
            for (int i = 0; i < dynsym.size(); i += 7) {
                sample.add(dynsym.get(i));
            }
            assertTrue(sample.size() > 100, "libc exports thousands of functions, got " + dynsym.size());
            List<Long> probes = ExpectedFunctions.probes(sample);
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(snapshot,
                    probes.stream().mapToLong(a -> a + bias).toArray());
            ExpectedFunctions expected = new ExpectedFunctions(dynsym);
            String buildId = TestPrograms.buildId(libc);
            for (int i = 0; i < probes.size(); i++) {
                Frame f = frames.get(i);
                ExpectedFunctions.Expected e = expected.at(probes.get(i));
                assertTrue(e.names().contains(f.function()), "0x" + Long.toHexString(probes.get(i)) + " -> " + f + ", expected " + e);
                assertEquals(e.offset(), f.functionOffset(), f::toString);
                assertEquals(buildId, f.buildId());
            }
            System.out.printf("libc .dynsym: %d addresses in %d of %d functions%n", probes.size(), sample.size(), dynsym.size());
        }
    }

    @Test
    void libcLocalFunctionsComeFromItsBuildIdDebugFile() throws Exception {
        Path program = TestPrograms.build(Variant.PIE);
        try (ServingProcess process = ServingProcess.start(program)) {
            VmaSnapshot snapshot = process.snapshot();
            Path libc = libc(snapshot);
            String buildId = TestPrograms.buildId(libc);
            Path debugFile = LIBC_DEBUG.resolve(".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug");
            if (!Files.exists(debugFile)) {
                System.out.println("SKIPPED: no debug file " + debugFile + " (install libc6-dbg)");
            }
            assumeTrue(Files.exists(debugFile), "no debug file " + debugFile + " (install libc6-dbg)");
            List<NmSymbol> dynsym = TestPrograms.functions(libc, true);
            Set<String> exported = dynsym.stream().map(NmSymbol::name).collect(Collectors.toSet());
            List<NmSymbol> full = TestPrograms.functions(debugFile, false);
            // Local functions that no exported symbol covers or aliases: only the debug file can name them.
            ExpectedFunctions byDynsym = new ExpectedFunctions(dynsym);
            List<NmSymbol> local = full.stream().filter(s -> s.type() == 't' && s.size() > 0 && !exported.contains(s.name())
                    && byDynsym.at(s.address()) == null && byDynsym.at(s.address() + s.size() - 1) == null).toList();
            List<NmSymbol> sample = new ArrayList<>();
            for (int i = 0; i < local.size(); i += Math.max(1, local.size() / 150)) {
                sample.add(local.get(i));
            }
            long bias = process.address("getpid") - address(dynsym, "getpid");
            List<Long> probes = ExpectedFunctions.probes(sample);
            long[] addresses = probes.stream().mapToLong(a -> a + bias).toArray();
            List<NmSymbol> union = new ArrayList<>(full);
            union.addAll(dynsym);
            ExpectedFunctions expected = new ExpectedFunctions(union);
            List<Frame> withDebug = symbolizer(LIBC_DEBUG).symbolizeUser(snapshot, addresses);
            List<Frame> without = symbolizer(noDebugFiles).symbolizeUser(snapshot, addresses);
            int namedOnlyWithDebugFile = 0;
            for (int i = 0; i < probes.size(); i++) {
                ExpectedFunctions.Expected e = expected.at(probes.get(i));
                Frame f = withDebug.get(i);
                assertTrue(e.names().contains(f.function()), f + ", expected " + e);
                assertEquals(e.offset(), f.functionOffset(), f::toString);
                if (!without.get(i).resolved() || !e.names().contains(without.get(i).function())) {
                    namedOnlyWithDebugFile++;
                }
            }
            assertTrue(probes.size() > 100, "libc has hundreds of local functions, got " + local.size());
            assertEquals(probes.size(), namedOnlyWithDebugFile, "named without the debug file");
            System.out.printf("libc debug file: %d addresses in %d local functions, %d named only through %s%n",
                    probes.size(), sample.size(), namedOnlyWithDebugFile, debugFile);
        }
    }

    @Test
    void vdsoFramesAreNamedFromOurOwnVdsoImage(@TempDir Path dir) throws Exception {
        Path program = TestPrograms.build(Variant.PIE);
        try (ServingProcess process = ServingProcess.start(program)) {
            VmaSnapshot snapshot = process.snapshot();
            Vma vdso = snapshot.vmas().stream().filter(v -> v.path().equals("[vdso]")).findFirst().orElseThrow();
            // Dump our vDSO for llvm-nm: the kernel maps the same image into every 64-bit process of a boot.
            Path image = dir.resolve("vdso.so");
            VdsoImage ours = new VdsoImage(Path.of("/proc/self"), new ModuleLoader(noDebugFiles, ElfLimits.DEFAULT));
            assertNull(ours.get().symbols().problem(), () -> ours.get().symbols().problem());
            Files.write(image, VdsoDump.read(Path.of("/proc/self")));
            List<NmSymbol> functions = TestPrograms.functions(image, true);
            assertTrue(functions.stream().anyMatch(s -> s.name().contains("clock_gettime")), functions::toString);
            // The x86_64 vDSO is linked at 0 and mapped from file offset 0.
            long[] addresses = functions.stream().mapToLong(s -> vdso.start() + s.address() + s.size() / 2).toArray();
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(snapshot, addresses);
            ExpectedFunctions expected = new ExpectedFunctions(functions);
            for (int i = 0; i < addresses.length; i++) {
                Frame f = frames.get(i);
                ExpectedFunctions.Expected e = expected.at(functions.get(i).address() + functions.get(i).size() / 2);
                assertTrue(e.names().contains(f.function()), f + ", expected " + e);
                assertEquals("[vdso]", f.module());
            }
        }
    }

    @Test
    void anonymousAndUnmappedAddressesStayUnresolved() throws Exception {
        try (ServingProcess process = ServingProcess.start(TestPrograms.build(Variant.PIE))) {
            VmaSnapshot snapshot = process.snapshot();
            Vma heapOrAnon = snapshot.vmas().stream().filter(v -> !v.isFileBacked() && !v.path().startsWith("[v"))
                    .findFirst().orElseThrow();
            List<Frame> frames = symbolizer(noDebugFiles).symbolizeUser(snapshot, new long[] {heapOrAnon.start() + 8, 8});
            assertFalse(frames.get(0).resolved());
            assertEquals(heapOrAnon.path().isEmpty() ? "[anon]" : heapOrAnon.path(), frames.get(0).module());
            assertFalse(frames.get(1).resolved());
            assertNull(frames.get(1).module());
            assertEquals("0x8", frames.get(1).label());
        }
    }

    static long fileOffset(VmaSnapshot snapshot, long address) {
        Vma v = snapshot.find(address).orElseThrow(() -> new AssertionError("no VMA holds 0x" + Long.toHexString(address)));
        return address - v.start() + v.offset();
    }

    static long address(List<NmSymbol> symbols, String name) {
        return symbols.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + TestPrograms.describe(symbols))).address();
    }

    /** The functions our C source defines (not the ones crt1.o and crti.o add). */
    static List<NmSymbol> ours(List<NmSymbol> functions) {
        Set<String> names = Set.of("main", "leaf_sum", "local_mix", "middle_caller", "exported_entry");
        return functions.stream().filter(s -> names.contains(s.name())).toList();
    }

    static Path libc(VmaSnapshot snapshot) {
        return snapshot.vmas().stream().map(Vma::path).filter(p -> p.matches(".*/libc\\.so\\.6")).findFirst()
                .map(Path::of).orElseThrow(() -> new AssertionError("the program maps no libc.so.6"));
    }
}
