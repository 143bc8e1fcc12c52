package io.mapsnap.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;
import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;

/** JIT frames from perf maps written here, and the perf maps that must be refused. */
class PerfMapTest {
    private static final int TGID = 424242;
    private static final long JIT_START = 0x7f00_0000_0000L;
    private static final String MAP = """
            7f0000001000 100 Interpreter
            7f0000002000 0x80 LFoo;::bar
            0x7f0000002000 40 LFoo;::bar (recompiled)
            not a line
            7f0000003000 zz broken
            """;

    @TempDir
    Path dir;

    private ElfSymbolizer symbolizer;
    private final VmaSnapshot snapshot = new VmaSnapshot(TGID, TGID, "java", 0, Instant.now(), "test", false,
            List.of(new Vma(JIT_START, JIT_START + 0x10000, 0, Permissions.parse("rwxp"), 0, 0, 0, "", null)));

    @BeforeEach
    void start() {
        assumeTrue(uid(dir) == 0, "files created here must be root's: run as root");
        symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults().withPerfMapDirectory(dir));
    }

    @AfterEach
    void stop() {
        if (symbolizer != null) {
            symbolizer.deactivate();
        }
    }

    @Test
    void aRootOwnedPerfMapNamesJitFramesAndTheLaterLineWins() throws Exception {
        Files.writeString(dir.resolve("perf-" + TGID + ".map"), MAP);
        List<Frame> frames = symbolizer.symbolizeUser(snapshot, new long[] {
                0x7f0000001010L, 0x7f0000002010L, 0x7f0000002050L, 0x7f0000005000L, 0x7f1000000000L});
        assertEquals(new Frame(FrameKind.JIT, 0x7f0000001010L, "Interpreter", 0x10, "[jit]", 0x7f0000001010L, null), frames.get(0));
        assertEquals("LFoo;::bar (recompiled)", frames.get(1).function());
        assertEquals("LFoo;::bar", frames.get(2).function());
        assertEquals(0x50, frames.get(2).functionOffset());
        assertEquals(Frame.unresolved(FrameKind.JIT, 0x7f0000005000L, "[anon]", 0x7f0000005000L, null), frames.get(3));
        assertEquals(Frame.unresolved(FrameKind.USER, 0x7f1000000000L, null, 0, null), frames.get(4));
    }

    @Test
    void aPerfMapThatGrowsIsReadAgain() throws Exception {
        Path map = dir.resolve("perf-" + TGID + ".map");
        Files.writeString(map, "7f0000001000 100 first\n");
        assertEquals("first", symbolizer.symbolizeUser(snapshot, new long[] {0x7f0000001000L}).get(0).function());
        Files.writeString(map, "7f0000001000 100 first\n7f0000004000 10 second\n");
        assertEquals("second", symbolizer.symbolizeUser(snapshot, new long[] {0x7f0000004001L}).get(0).function());
    }

    @Test
    void aSymlinkIsRefused() throws Exception {
        Path real = dir.resolve("elsewhere.map");
        Files.writeString(real, MAP);
        Files.createSymbolicLink(dir.resolve("perf-" + TGID + ".map"), real);
        assertUnresolved();
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        TestPrograms.requireTool("mkfifo");
        TestPrograms.run(List.of("mkfifo", dir.resolve("perf-" + TGID + ".map").toString()));
        assertTimeoutPreemptively(Duration.ofSeconds(10), this::assertUnresolved);
    }

    @Test
    void aMapOwnedBySomeoneElseIsRefused() throws Exception {
        Path map = dir.resolve("perf-" + TGID + ".map");
        Files.writeString(map, MAP);
        TestPrograms.run(List.of("chown", "12345", map.toString()));
        assertUnresolved();
    }

    @Test
    void aMapOverTheSizeBoundIsRefused() throws Exception {
        symbolizer.deactivate();
        symbolizer = new ElfSymbolizer(SymbolizerSettings.defaults().withPerfMapDirectory(dir).withPerfMapMaxBytes(16));
        Files.writeString(dir.resolve("perf-" + TGID + ".map"), MAP);
        assertUnresolved();
    }

    @Test
    void parsingSkipsMalformedLines() {
        PerfMap map = PerfMap.parse(MAP.getBytes(), 100);
        assertEquals(3, map.size());
        assertEquals(2, map.skipped());
        assertNull(map.lookup(0x7f0000000fffL));
        assertEquals(new FunctionHit("Interpreter", 0xff), map.lookup(0x7f00000010ffL));
        assertNull(map.lookup(0x7f0000001100L));
    }

    private void assertUnresolved() {
        for (Frame f : symbolizer.symbolizeUser(snapshot, new long[] {0x7f0000001010L, 0x7f0000002010L})) {
            assertFalse(f.resolved(), f::toString);
            assertEquals("[anon]", f.module());
        }
    }

    private static int uid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
