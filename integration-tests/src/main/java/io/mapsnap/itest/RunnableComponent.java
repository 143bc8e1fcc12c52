package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.api.vma.VmaSource;

/**
 * A source or collector looked up the way the runtime offers it, with what to expect derived from what loaded: its
 * status must be registered (its bundle is in the run); a refused one must name the kernel's reason and the test is
 * then skipped with it (the kernel matrix runs it where it loads); an accepted one must have its service registered.
 */
final class RunnableComponent {
    private static final String BPF_SUFFIX = ".bpf.o";

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

    /** The statuses registered, of one kind ({@code null}: all). */
    static List<ComponentStatus> statuses(BundleContext context, ComponentKind kind) {
        return references(context, kind == null ? null : "(" + ComponentStatus.KIND_PROPERTY + "=" + kind.key() + ")")
                .stream().map(context::getService).toList();
    }

    /** The best-ranked of {@code statuses} that runs here. */
    static Optional<ComponentStatus> bestRunning(Collection<ComponentStatus> statuses) {
        return statuses.stream().filter(ComponentStatus::available).max(Comparator.comparingInt(ComponentStatus::ranking));
    }

    /** The registration of a component's status: its bundle is the component's. Waits for it, as {@link #status}. */
    static ServiceReference<ComponentStatus> statusReference(BundleContext context, ComponentKind kind, String name)
            throws Exception {
        status(context, kind, name);
        return references(context, "(&(" + ComponentStatus.KIND_PROPERTY + "=" + kind.key() + ")("
                + ComponentStatus.NAME_PROPERTY + "=" + name + "))").iterator().next();
    }

    /** The BPF object a verdict tried, as the fault-injection switch names it; empty for a /proc check. */
    static Optional<String> bpfObject(VariantVerdict v) {
        return v.artifact().endsWith(BPF_SUFFIX)
                ? Optional.of(v.artifact().substring(0, v.artifact().length() - BPF_SUFFIX.length()))
                : Optional.empty();
    }

    private static Collection<ServiceReference<ComponentStatus>> references(BundleContext context, String filter) {
        try {
            return context.getServiceReferences(ComponentStatus.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
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
