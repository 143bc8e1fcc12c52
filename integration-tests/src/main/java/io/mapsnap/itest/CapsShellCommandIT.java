package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.KernelCapabilities;

/** The Gogo command is found the way Gogo finds it (scope and function properties) and prints real results. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class CapsShellCommandIT {
    // Gogo finds commands by these properties whatever their class; so does this test.
    static final String COMMAND = "(&(osgi.command.scope=mapsnap)(osgi.command.function=caps))";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @Test
    void tableListsEveryCapabilityWithItsAnswer() throws Exception {
        String table = invoke(false);
        assertTrue(table.startsWith("kernel " + capabilities.kernelRelease()), table);
        for (Capability c : Capability.values()) {
            String expected = capabilities.has(c) ? "yes" : "no";
            String row = table.lines().filter(l -> l.startsWith(c.key() + " ")).findFirst().orElseThrow(
                    () -> new AssertionError("no row for " + c.key() + " in\n" + table));
            assertEquals(expected, row.substring(c.key().length()).trim().split("\\s+")[0], row);
        }
    }

    @Test
    void jsonNamesTheSchemaAndEveryKey() throws Exception {
        String json = invoke(true);
        assertTrue(json.startsWith("{\"schema\":\"mapsnap.caps/1\""), json);
        for (Capability c : Capability.values()) {
            assertTrue(json.contains("\"key\":\"" + c.key() + "\",\"available\":" + capabilities.has(c)), c.key());
        }
    }

    private String invoke(boolean json) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(COMMAND), null);
        tracker.open();
        try {
            Object service = tracker.waitForService(10_000);
            if (service == null) {
                throw new AssertionError("no service " + COMMAND + " within 10 s");
            }
            return call(service, json);
        } finally {
            tracker.close();
        }
    }

    private static String call(Object service, boolean json) throws Exception {
        Method caps = service.getClass().getMethod("caps", boolean.class);
        return (String) caps.invoke(service, json);
    }
}
