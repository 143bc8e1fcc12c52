package io.mapsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The profile command's arguments, checked before anything touches the kernel. */
class ProfileOptionsTest {
    @Test
    void defaultsAreEveryProcessTenSecondsAt99HzWithKernelStacks() throws Exception {
        ProfileOptions o = ProfileOptions.parse(List.of("--output", "p.svg"));
        assertEquals(Set.of(), o.request().pids());
        assertEquals(Duration.ofSeconds(10), o.request().duration());
        assertEquals(99, o.request().frequencyHz());
        assertTrue(o.request().kernelStacks());
        assertNull(o.request().collector());
        assertEquals(List.of(Path.of("p.svg")), o.outputs());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        ProfileOptions o = ProfileOptions.parse(List.of("--pid", "12,13", "-p", "14", "--duration", "2.5", "-F", "999",
                "--source", "procfs-async", "--no-kernel", "-o", "a.folded", "--output", "b.pb.gz"));
        assertEquals(Set.of(12, 13, 14), o.request().pids());
        assertEquals(Duration.ofMillis(2500), o.request().duration());
        assertEquals(999, o.request().frequencyHz());
        assertEquals("procfs-async", o.request().collector());
        assertEquals(false, o.request().kernelStacks());
        assertEquals(List.of(Path.of("a.folded"), Path.of("b.pb.gz")), o.outputs());
    }

    @Test
    void badArgumentsAreUsageErrorsThatSayWhatIsWrong() {
        assertMessage("where to? --output FILE", List.of("--all"));
        assertMessage("--all and --pid exclude each other", List.of("--all", "--pid", "3", "-o", "x.svg"));
        assertMessage("not a duration in seconds: 'soon'", List.of("--duration", "soon", "-o", "x.svg"));
        assertMessage("not a duration in seconds: '-1'", List.of("--duration", "-1", "-o", "x.svg"));
        assertMessage("not a frequency in Hz: 'fast'", List.of("-F", "fast", "-o", "x.svg"));
        assertMessage("frequency must be between 1 and 100000 Hz: 0", List.of("-F", "0", "-o", "x.svg"));
        assertMessage("not a process id: '0'", List.of("--pid", "0", "-o", "x.svg"));
        assertMessage("not a process id: 'self'", List.of("--pid", "self", "-o", "x.svg"));
        assertMessage("--output needs a value", List.of("--output"));
        assertMessage("unexpected argument '--bogus'", List.of("--bogus", "-o", "x.svg"));
        assertMessage("not a cgroup v2 directory: /nonexistent", List.of("--cgroup", "/nonexistent", "-o", "x.svg"));
    }

    private static void assertMessage(String expected, List<String> args) {
        UsageException e = assertThrows(UsageException.class, () -> ProfileOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
