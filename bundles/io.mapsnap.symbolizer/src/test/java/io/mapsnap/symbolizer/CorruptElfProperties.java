package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.symbolizer.TestPrograms.Variant;

/**
 * Mutated real ELF files — truncated, bytes flipped, header, section and program header fields set to hostile
 * values — are read or refused with {@link ElfFormatException}: never another exception, never a hang; and the
 * Symbolizer given such a file as a mapped binary returns one frame per address, unresolved where it must be.
 */
class CorruptElfProperties {
    private static final Duration PER_TRY = Duration.ofSeconds(20);

    private static byte[][] seeds;
    private static Path scratch;
    private static ElfSymbolizer symbolizer;

    @BeforeContainer
    static void buildSeeds() throws Exception {
        seeds = new byte[][] {
                Files.readAllBytes(TestPrograms.build(Variant.PIE)),
                Files.readAllBytes(TestPrograms.build(Variant.MINI_DEBUG_INFO)),
                VdsoDump.read(Path.of("/proc/self")),
        };
        scratch = Files.createTempDirectory("corrupt-elf");
        symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults().withDebugDirectory(scratch.resolve("no-debug")));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        symbolizer.deactivate();
        try (var files = Files.list(scratch)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(scratch);
    }

    @Example
    void seedsAreReadWithFunctionsAndBuildIds() throws Exception {
        for (byte[] seed : seeds) {
            ElfReader reader = ElfReader.read(ElfBytes.of(seed));
            ModuleSymbols m = loader().load(reader, reader.buildId());
            assertTrue(m.functions().size() > 0, "functions in every seed");
            assertTrue(m.buildId() != null, "a build ID in every seed");
        }
    }

    @Property(tries = 400)
    void mutatedFilesAreReadOrRefused(@ForAll @IntRange(min = 0, max = 2) int seed,
            @ForAll("mutations") List<Mutation> mutations) {
        byte[] file = seeds[seed];
        for (Mutation m : mutations) {
            file = m.apply(file);
        }
        byte[] bytes = file;
        String outcome = assertTimeoutPreemptively(PER_TRY, () -> readOrRefuse(bytes));
        Statistics.label("outcome").collect(outcome);
    }

    @Property(tries = 60)
    void theSymbolizerNeverThrowsOnAMutatedMappedFile(@ForAll @IntRange(min = 0, max = 1) int seed,
            @ForAll("mutations") List<Mutation> mutations) throws Exception {
        byte[] file = seeds[seed];
        for (Mutation m : mutations) {
            file = m.apply(file);
        }
        Path mapped = Files.createTempFile(scratch, "mutated", ".elf");
        Files.write(mapped, file);
        FileIdentity id = FileVersion.of(mapped).identity();
        long start = 0x5555_0000_0000L;
        Vma vma = new Vma(start, start + Math.max(4096, file.length), 0, Permissions.parse("r-xp"), id.major(), id.minor(),
                id.inode(), mapped.toString(), null);
        VmaSnapshot snapshot = new VmaSnapshot(1, 1, "fuzz", 0, Instant.now(), "test", false, List.of(vma));
        long[] addresses = new long[16];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = start + (long) i * Math.max(1, file.length / 16);
        }
        List<Frame> frames = assertTimeoutPreemptively(PER_TRY, () -> symbolizer.symbolizeUser(snapshot, addresses));
        assertEquals(addresses.length, frames.size());
        for (Frame f : frames) {
            assertTrue(f.resolved() || f.label().equals(mapped + "+0x" + Long.toHexString(f.moduleOffset())), f::toString);
        }
        Statistics.label("resolved").collect(frames.stream().anyMatch(Frame::resolved));
        Files.delete(mapped);
    }

    @Example
    void hostileHeadersAreRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] pie = seeds[0];
        ElfReader good = ElfReader.read(ElfBytes.of(pie));
        ElfSection symtab = good.sectionOfType(ElfSection.SHT_SYMTAB).orElseThrow();
        long shoff = le(pie).getLong(40);
        int symtabHeader = (int) (shoff + 64L * symtab.index());

        assertRefused(set(pie, 54, 2, 0xffff), "entry size");
        assertRefused(set(set(pie, 54, 2, 56), 56, 2, 0xffff), "program headers, over");
        assertRefused(set(pie, 40, 8, pie.length + 1L), "outside the file");
        assertRefused(set(pie, 40, 8, -64), "outside the file");
        // A 4 GiB symbol table, a zero entry size, a table linking to itself: each refused when it is read.
        assertRefused(set(pie, symtabHeader + 32, 8, 1L << 32), "over the bound");
        assertRefused(set(pie, symtabHeader + 56, 8, 0), "entry size 0");
        assertRefused(set(pie, symtabHeader + 40, 4, symtab.index()), "links to section");
        // Extended numbering claiming 2^40 sections.
        assertRefused(set(set(pie, 60, 2, 0), (int) shoff + 32, 8, 1L << 40), "section count");
        assertRefused(Arrays.copyOf(pie, 63), "shorter than");
        assertRefused(set(pie, 5, 1, 2), "little-endian");
    }

    @Example
    void aHugeNoteSizeMeansNoBuildIdNotAnException() throws Exception {
        byte[] pie = seeds[0];
        ElfReader good = ElfReader.read(ElfBytes.of(pie));
        byte[] broken = pie.clone();
        // Every note in the file claims a 4 GiB name: no note can be read, so there is no build ID.
        for (ElfSection s : good.sections()) {
            if (s.type() == ElfSection.SHT_NOTE) {
                broken = set(broken, (int) s.offset(), 4, 0xffff_ffffL);
            }
        }
        ElfReader reader = ElfReader.read(ElfBytes.of(broken));
        assertNull(reader.buildId());
    }

    @Example
    void everyTruncationIsReadOrRefused() {
        for (byte[] seed : seeds) {
            for (int cut = 0; cut < seed.length; cut += Math.max(1, seed.length / 97)) {
                readOrRefuse(Arrays.copyOf(seed, cut));
            }
        }
    }

    private static String readOrRefuse(byte[] bytes) {
        ModuleSymbols m;
        try {
            ElfReader reader = ElfReader.read(ElfBytes.of(bytes));
            m = loader().load(reader, reader.buildId());
        } catch (ElfFormatException refused) {
            // The offset is whatever the hostile header claimed (it may be "negative"); the problem must be named.
            assertTrue(!refused.problem().isBlank(), refused::getMessage);
            return "refused: " + refused.problem().replaceAll("[0-9a-fx]*[0-9][0-9a-fx]*", "N").replaceAll("\\.[a-z_.]+", ".S");
        } catch (IOException e) {
            throw new AssertionError("an array cannot fail with I/O", e);
        }
        for (long offset = 0; offset < bytes.length + 4096; offset += 97) {
            m.lookup(offset);
        }
        return m.problem() == null ? "read" : "read, partly";
    }

    private static ModuleLoader loader() {
        return new ModuleLoader(scratch.resolve("no-debug"), ElfLimits.DEFAULT);
    }

    private static void assertRefused(byte[] bytes, String problem) {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> {
            ElfReader reader = ElfReader.read(ElfBytes.of(bytes));
            loader().load(reader, reader.buildId());
        });
        assertTrue(e.problem().contains(problem), () -> e.getMessage() + " does not say " + problem);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy with the {@code width}-byte little-endian field at {@code at} set to {@code value}. */
    static byte[] set(byte[] bytes, int at, int width, long value) {
        byte[] copy = bytes.clone();
        if (at < 0 || at > copy.length - width) { // not at + width: an offset near 2^31 overflows
            return copy;
        }
        for (int i = 0; i < width; i++) {
            copy[at + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Long> hostile = Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-16, 16),
                Arbitraries.of(0L, 24L, 56L, 64L, 0xffffL, 0x7fff_ffffL, 0xffff_ffffL, 1L << 32, 1L << 40, Long.MAX_VALUE, -1L));
        Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.bytes()).as(SetByte::new);
        Arbitrary<Mutation> truncate = at.map(Truncate::new);
        Arbitrary<Mutation> header = Combinators.combine(Arbitraries.of(HeaderField.values()), hostile).as(SetHeaderField::new);
        Arbitrary<Mutation> section = Combinators.combine(at, Arbitraries.of(SectionField.values()), hostile).as(SetSectionField::new);
        Arbitrary<Mutation> program = Combinators.combine(at, Arbitraries.of(ProgramField.values()), hostile).as(SetProgramField::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(3, flip),
                        Tuple.of(1, truncate),
                        Tuple.of(2, header),
                        Tuple.of(5, section),
                        Tuple.of(2, program))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    sealed interface Mutation {
        byte[] apply(byte[] file);
    }

    record SetByte(double at, byte value) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return file.length == 0 ? file : set(file, Math.min(file.length - 1, (int) (at * file.length)), 1, value);
        }
    }

    record Truncate(double at) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return Arrays.copyOf(file, (int) (at * file.length));
        }
    }

    enum HeaderField {
        PHOFF(32, 8), SHOFF(40, 8), PHENTSIZE(54, 2), PHNUM(56, 2), SHENTSIZE(58, 2), SHNUM(60, 2), SHSTRNDX(62, 2);

        final int offset;
        final int width;

        HeaderField(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }
    }

    record SetHeaderField(HeaderField field, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return set(file, field.offset, field.width, value);
        }
    }

    enum SectionField {
        NAME(0, 4), TYPE(4, 4), OFFSET(24, 8), SIZE(32, 8), LINK(40, 4), ENTSIZE(56, 8);

        final int offset;
        final int width;

        SectionField(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }
    }

    /** Sets a field of one section header (chosen by fraction of the count), where the header says they are. */
    record SetSectionField(double which, SectionField field, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            if (file.length < 64) {
                return file;
            }
            long shoff = le(file).getLong(40);
            int shnum = Short.toUnsignedInt(le(file).getShort(60));
            long at = shoff + 64L * (long) (which * shnum) + field.offset;
            return at < 0 || at > Integer.MAX_VALUE ? file : set(file, (int) at, field.width, value);
        }
    }

    enum ProgramField {
        TYPE(0, 4), OFFSET(8, 8), VADDR(16, 8), FILESZ(32, 8), ALIGN(48, 8);

        final int offset;
        final int width;

        ProgramField(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }
    }

    record SetProgramField(double which, ProgramField field, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            if (file.length < 64) {
                return file;
            }
            long phoff = le(file).getLong(32);
            int phnum = Short.toUnsignedInt(le(file).getShort(56));
            long at = phoff + 56L * (long) (which * phnum) + field.offset;
            return at < 0 || at > Integer.MAX_VALUE ? file : set(file, (int) at, field.width, value);
        }
    }
}
