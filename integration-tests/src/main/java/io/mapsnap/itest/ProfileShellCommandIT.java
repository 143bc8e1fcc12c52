package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** {@code mapsnap:profile} as a Gogo user types it: options parsed by Gogo, a real profile, a 0600 file. */
@ExtendWith(ServiceExtension.class)
class ProfileShellCommandIT {
    @InjectService(timeout = 15_000)
    CommandProcessor processor;

    @Test
    void profilesABusyProcessIntoAFoldedFile() throws Exception {
        Process busy = new ProcessBuilder("/bin/sh", "-c", "while :; do :; done").start();
        Path out = Files.createTempDirectory("mapsnap-shell").resolve("busy.folded");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(System.in, ps, ps)) {
            double seconds = 1.5 * TimeScale.FACTOR;
            Object result = session.execute("mapsnap:profile --pid " + busy.pid() + " --duration " + seconds
                    + " --frequency 199 " + out);
            String summary = String.valueOf(result);
            assertTrue(summary.contains("wrote " + out), summary + console);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            String folded = Files.readString(out);
            long samples = folded.lines().filter(l -> l.startsWith("sh;"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertTrue(samples >= 100, samples + " samples of a busy sh at 199 Hz in " + seconds + " s:\n" + folded);
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
