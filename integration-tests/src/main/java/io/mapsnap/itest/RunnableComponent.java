package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.api.vma.VmaSource;

/**
 * A source or collector looked up the way the runtime offers it, with what to expect derived from what loaded: its
 * status must be registered (its bundle is in the run); a refused one must name the kernel's reason and the test is
 * then skipped with it (the kernel matrix runs it where it loads); an accepted one must have its service registered.
 */
final class RunnableComponent {
    private RunnableComponent() {
    }

    static VmaSource source(BundleContext context, String name) throws Exception {
        return await(context, ComponentKind.SOURCE, name, VmaSource.class, VmaSource.SOURCE_PROPERTY);
    }

    static VmaCollector collector(BundleContext context, String name) throws Exception {
        return await(context, ComponentKind.COLLECTOR, name, VmaCollector.class, VmaCollector.COLLECTOR_PROPERTY);
    }

    /** The component's status, which every installed component registers, runnable or not. */
    static ComponentStatus status(BundleContext context, ComponentKind kind, String name) throws Exception {
        ComponentStatus status = tracked(context, "(&(objectClass=" + ComponentStatus.class.getName() + ")("
                + ComponentStatus.KIND_PROPERTY + "=" + kind.key() + ")(" + ComponentStatus.NAME_PROPERTY + "=" + name
                + "))", ComponentStatus.class);
        if (status == null) {
            fail(kind.key() + " " + name + " registered no status: is its bundle missing from the run?");
        }
        return status;
    }

    private static <T> T await(BundleContext context, ComponentKind kind, String name, Class<T> type,
            String nameProperty) throws Exception {
        ComponentStatus status = status(context, kind, name);
        if (!status.available()) {
            assertFalse(status.refusal().isBlank(), "refused without a reason: " + status);
        }
        Assumptions.assumeTrue(status.available(), () -> name + " cannot run here: " + status.refusal()
                + "; the kernel matrix runs it where it loads");
        T service = tracked(context, "(&(objectClass=" + type.getName() + ")(" + nameProperty + "=" + name + "))",
                type);
        if (service == null) {
            fail(name + " runs here (" + status.running().orElseThrow() + ") but registered no " + type.getSimpleName());
        }
        return service;
    }

    private static <T> T tracked(BundleContext context, String filter, Class<T> type) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(filter), null);
        tracker.open();
        // The tracker stays open: closing it would release the service while the test still uses it.
        return type.cast(tracker.waitForService(TimeScale.millis(20_000)));
    }
}
