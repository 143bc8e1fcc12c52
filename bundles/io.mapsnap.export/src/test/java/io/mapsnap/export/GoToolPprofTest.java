package io.mapsnap.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.api.profile.Profile;

/**
 * The reference reader: {@code go tool pprof} must read our file and count every function as we do. Go is
 * installed by ./mapsnap (Debian's golang-go); without it this test is skipped and says so.
 */
class GoToolPprofTest {
    /** {@code flat flat% sum% cum cum% name}: flat and cum are plain numbers with -sample_index=samples. */
    private static final Pattern TOP_LINE = Pattern
            .compile("^\\s*(\\d+)\\s+[\\d.]+%\\s+[\\d.]+%\\s+(\\d+)\\s+[\\d.]+%\\s+(.+?)\\s*$");

    private static Path go;

    @TempDir
    Path dir;

    @BeforeAll
    static void findGo() {
        go = null;
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "go");
            if (Files.isExecutable(candidate)) {
                go = candidate;
                break;
            }
        }
    }

    private record TopEntry(long flat, long cum) {
    }

    /** Runs {@code go tool pprof OPTIONS FILE} and returns what it printed; skips the test without go. */
    private String pprof(Path file, String... options) throws IOException, InterruptedException {
        assumeTrue(go != null, "go is not on PATH (./mapsnap installs Debian's golang-go): cannot run go tool pprof");
        List<String> command = new ArrayList<>(List.of(go.toString(), "tool", "pprof"));
        command.addAll(List.of(options));
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // pprof keeps fetched profiles under $PPROF_TMPDIR, the go command its cache under $GOCACHE.
        builder.environment().put("PPROF_TMPDIR", dir.toString());
        builder.environment().putIfAbsent("GOCACHE", dir.resolve("gocache").toString());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "go tool pprof finished");
        assertEquals(0, process.exitValue(), output);
        System.out.println("go tool pprof " + String.join(" ", options) + ":\n" + output);
        return output;
    }

    private Map<String, TopEntry> top(Path file, String... options) throws IOException, InterruptedException {
        List<String> withTop = new ArrayList<>(List.of("-top"));
        withTop.addAll(List.of(options));
        Map<String, TopEntry> entries = new HashMap<>();
        for (String line : pprof(file, withTop.toArray(String[]::new)).split("\n")) {
            Matcher m = TOP_LINE.matcher(line);
            if (m.matches()) {
                entries.put(m.group(3), new TopEntry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        return entries;
    }

    private Path write(Profile profile) throws IOException {
        Path file = dir.resolve("profile.pb.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
            new PprofExporter().export(profile, out);
        }
        return file;
    }

    @Test
    void listsEveryFunctionWithItsFlatAndCumulativeSamples() throws Exception {
        Map<String, TopEntry> top = top(write(TestProfiles.twoProcesses()), "-sample_index=samples", "-nodecount=100");
        assertEquals(new TopEntry(7, 7), top.get("__memcpy_avx_unaligned_erms"), top.toString());
        assertEquals(new TopEntry(3, 3), top.get(TestProfiles.LIBC + "+0x29d90"), top.toString());
        assertEquals(new TopEntry(5, 5), top.get("vfs_write"), top.toString());
        assertEquals(new TopEntry(2, 2), top.get("LFoo;::bar"), top.toString());
        assertEquals(new TopEntry(1, 1), top.get("0xdeadbeef"), top.toString());
        assertEquals(new TopEntry(0, 15), top.get("main"), top.toString());
        assertEquals(new TopEntry(0, 10), top.get("compute"), top.toString());
        assertEquals(new TopEntry(0, 5), top.get("entry_SYSCALL_64_after_hwframe"), top.toString());
        assertEquals(new TopEntry(0, 3), top.get("start_thread"), top.toString());
    }

    @Test
    void cpuTimeIsCountTimesPeriodAndTheCommentsAreShown() throws Exception {
        String raw = pprof(write(TestProfiles.twoProcesses()), "-raw");
        // 7 samples at 99 Hz: 7 × 10,101,010 ns.
        assertTrue(raw.contains("samples/count cpu/nanoseconds[dflt]"), raw);
        assertTrue(raw.contains("          7   70707070: "), raw);
        assertTrue(raw.contains("Period: 10101010"), raw);
        assertTrue(raw.contains("Comment: lost samples: 4"), raw);
        assertTrue(raw.contains("/usr/bin/app 0123456789abcdef0123456789abcdef01234567 [FN]"), raw);
    }
}
