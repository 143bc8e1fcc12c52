package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;

/**
 * {@code mapsnap:caps} and {@code mapsnap:maps} as a Gogo user types them, through Gogo's own CommandProcessor:
 * options parsed by Gogo, real results, and a refused source is one line, not a stack trace.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ShellCommandsIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @InjectService(timeout = 15_000)
    CommandProcessor processor;

    @Test
    void capsListsEveryCapabilityAndEveryComponentVariantWithItsVerdict() throws Exception {
        String table = execute("mapsnap:caps");
        assertTrue(table.startsWith("kernel " + capabilities.kernelRelease()), table);
        for (Capability c : Capability.values()) {
            String expected = capabilities.has(c) ? "yes" : "no";
            String row = table.lines().filter(l -> l.startsWith(c.key() + " ")).findFirst().orElseThrow(
                    () -> new AssertionError("no row for " + c.key() + " in\n" + table));
            assertEquals(expected, row.substring(c.key().length()).trim().split("\\s+")[0], row);
        }
        for (ComponentStatus s : statuses()) {
            for (VariantVerdict v : s.verdicts()) {
                String row = table.lines().filter(l -> l.startsWith(s.id() + " ") && l.contains(" " + v.variant() + " "))
                        .findFirst().orElseThrow(() -> new AssertionError("no row for " + s.id() + " " + v.variant()
                                + " in\n" + table));
                assertTrue(row.contains(v.accepted() ? " runs " : " refused"), row);
                if (!v.accepted()) {
                    // The kernel's own words are on the row.
                    assertTrue(row.contains(v.reason()), row + "\nwant: " + v.reason());
                }
            }
        }
    }

    @Test
    void capsJsonNamesTheSchemaTheBuildAndEveryKey() throws Exception {
        String json = execute("mapsnap:caps --json");
        assertTrue(json.startsWith("{\"schema\":\"mapsnap.caps/2\""), json);
        assertTrue(json.contains("\"kernelVersion\":\"" + capabilities.kernelVersion() + "\""), json);
        for (Capability c : Capability.values()) {
            assertTrue(json.contains("\"key\":\"" + c.key() + "\",\"available\":" + capabilities.has(c)), c.key());
        }
        for (ComponentStatus s : statuses()) {
            assertTrue(json.contains("\"kind\":\"" + s.kind().key() + "\",\"name\":\"" + s.name() + "\""), s.id());
        }
    }

    @Test
    void mapsPrintsTheBestSourcesMapOfAProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.sleep(TimeScale.millis(200));
            String maps = execute("mapsnap:maps " + sleeper.pid());
            List<String> proc = Files.readAllLines(Path.of("/proc/" + sleeper.pid() + "/maps")).stream()
                    .filter(l -> !l.endsWith(" [vsyscall]")).toList();
            assertEquals(proc, maps.lines().toList());
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A source that cannot run is one line with the kernel's words: forced by the fault-injection switch. */
    @Test
    void aRefusedSourceIsOneLineWithTheKernelsWords() throws Exception {
        try (InjectedRefusal r = InjectedRefusal.of(context, "bpf_iter_vma_walker*", "io.mapsnap.bpfiter")) {
            Exception e = assertThrows(Exception.class, () -> execute("mapsnap:maps --source bpf-iter 1"));
            String message = e.getMessage();
            assertEquals("CannotRunHereException", e.getClass().getSimpleName(), String.valueOf(e));
            assertTrue(message.startsWith("bpf-iter: cannot run here: "), message);
            assertTrue(message.contains("fault injection"), message);
            assertFalse(message.contains("\n"), message);
        }
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(System.in, ps, ps)) {
            return String.valueOf(session.execute(command));
        }
    }

    private List<ComponentStatus> statuses() {
        return RunnableComponent.statuses(context, null);
    }
}
