package io.mapsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MapsnapCommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Subcommand command, String... args) {
        return new MapsnapCommandLine(args, List.of(command)).run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Subcommand echo() {
        return new Subcommand() {
            public String name() {
                return "echo";
            }

            public String synopsis() {
                return "echo ARGS";
            }

            public int run(List<String> args, PrintStream o, PrintStream e) throws UsageException {
                if (args.contains("--bad")) {
                    throw new UsageException("echo: unknown option '--bad'");
                }
                if (args.contains("--fail")) {
                    throw new IllegalStateException("the kernel said no");
                }
                o.println(String.join(" ", args));
                return 0;
            }
        };
    }

    @Test
    void dispatchesToTheNamedSubcommand() {
        assertEquals(0, run(echo(), "echo", "a", "b"));
        assertEquals("a b\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownSubcommandPrintsUsageAndExits2() {
        assertEquals(2, run(echo(), "frobnicate"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("mapsnap: unknown subcommand 'frobnicate'\nusage: mapsnap"), e);
        assertTrue(e.contains("echo ARGS"), e);
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run(echo()));
    }

    @Test
    void badOptionIsAUsageError() {
        assertEquals(2, run(echo(), "echo", "--bad"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("mapsnap: echo: unknown option '--bad'"));
    }

    @Test
    void failureIsOneLineWithoutStackTrace() {
        assertEquals(1, run(echo(), "echo", "--fail"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals("mapsnap echo: the kernel said no\n", e);
    }
}
