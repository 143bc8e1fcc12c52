package io.mapsnap.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

class FoldedStackExporterTest {
    /** flamegraph.pl's own parse of a line: {@code /^(.*)\s+?(\d+(?:\.\d*)?)$/}. */
    private static final Pattern FLAMEGRAPH_LINE = Pattern.compile("^(.*)\\s+?(\\d+(?:\\.\\d*)?)$");

    private final FoldedStackExporter exporter = new FoldedStackExporter();

    private String export(Profile profile) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.export(profile, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void namesItsFormat() {
        assertEquals("folded", exporter.format());
        assertEquals(".folded", exporter.extension());
    }

    @Test
    void writesOneSortedLinePerStackFromTheProcessNameOutwardIn() throws IOException {
        String expected = """
                app;_start;main;__GI___libc_write;entry_SYSCALL_64_after_hwframe_[k];ksys_write_[k];vfs_write_[k] 5
                app;_start;main;compute;/usr/lib/x86_64-linux-gnu/libc.so.6+0x29d90 3
                app;_start;main;compute;__memcpy_avx_unaligned_erms 7
                worker;start_thread;0xdeadbeef 1
                worker;start_thread;LFoo:::bar_[j] 2
                """;
        assertEquals(expected, export(TestProfiles.twoProcesses()));
    }

    @Test
    void userFramesOutermostFirstThenKernelFramesToTheLeaf() throws IOException {
        Frame outer = TestProfiles.user("/bin/x", null, "outer", 0x10);
        Frame inner = TestProfiles.user("/bin/x", null, "inner", 0x20);
        Frame entry = TestProfiles.kernel("entry", 0xffffffff81000000L);
        Frame leaf = TestProfiles.kernel("leaf", 0xffffffff81000100L);
        Profile profile = new Profile(TestProfiles.metadata(4, 0),
                List.of(new ProfileStack(1, "x", List.of(outer, inner, entry, leaf), 4)));
        assertEquals("x;outer;inner;entry_[k];leaf_[k] 4\n", export(profile));
    }

    @Test
    void mergesStacksThatReadAlike() throws IOException {
        Frame f = TestProfiles.user("/bin/x", null, "f", 0x10);
        Frame sameNameElsewhere = TestProfiles.user("/bin/x", null, "f", 0x18);
        Profile profile = new Profile(TestProfiles.metadata(10, 0),
                List.of(new ProfileStack(1, "x", List.of(f), 2), new ProfileStack(2, "x", List.of(f), 3),
                        new ProfileStack(3, "x", List.of(sameNameElsewhere), 4),
                        new ProfileStack(4, "y", List.of(f), 1)));
        assertEquals("x;f 9\ny;f 1\n", export(profile));
    }

    @Test
    void hostileNamesCannotSplitOrForgeALine() throws IOException {
        Frame semicolons = TestProfiles.user("/bin/x", null, "std::vector<int>;operator[]", 0x10);
        Frame forger = TestProfiles.user("/bin/x", null, "f 1000000\nforged;stack", 0x20);
        Frame controls = TestProfiles.user("/bin/x", null, "a\rb\tc\u0000d\u001be\u007ff\u0085g\u2028h", 0x30);
        Frame empty = TestProfiles.user("/bin/x", null, "", 0x40);
        Profile profile = new Profile(TestProfiles.metadata(1, 0), List
                .of(new ProfileStack(1, "evil;comm\n9", List.of(semicolons, forger, controls, empty), 1)));
        String folded = export(profile);
        assertEquals(
                "evil:comm?9;std::vector<int>:operator[];f 1000000?forged:stack;a?b?c?d?e?f?g?h;[unknown] 1\n",
                folded);
        String[] lines = folded.split("\n", -1);
        assertEquals(2, lines.length, "one line and the final newline");
        var parsed = FLAMEGRAPH_LINE.matcher(lines[0]);
        assertTrue(parsed.matches());
        assertEquals("1", parsed.group(2), "flamegraph.pl reads the real count");
        assertEquals(5, parsed.group(1).split(";").length, "the process and four frames");
    }

    @Test
    void unresolvedFramesKeepWhereTheyWere() throws IOException {
        Frame kernelUnresolved = Frame.unresolved(FrameKind.KERNEL, 0xffffffffc0001234L, "[kernel]",
                0xffffffffc0001234L, null);
        Profile profile = new Profile(TestProfiles.metadata(1, 0),
                List.of(new ProfileStack(1, "x", List.of(TestProfiles.NOWHERE, kernelUnresolved), 1)));
        assertEquals("x;0xdeadbeef;[kernel]+0xffffffffc0001234_[k] 1\n", export(profile));
    }

    @Test
    void anEmptyProfileIsAnEmptyFile() throws IOException {
        assertEquals("", export(TestProfiles.empty()));
    }

    @Test
    void everyLineIsOneFlamegraphRecord() throws IOException {
        for (String line : export(TestProfiles.twoProcesses()).split("\n")) {
            assertTrue(FLAMEGRAPH_LINE.matcher(line).matches(), line);
            assertFalse(line.contains(";;"), line);
        }
    }
}
