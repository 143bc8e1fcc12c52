package io.mapsnap.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.VmaSource;

/**
 * Picks the VMA source for one command: the named one, or the best-ranked one registered. A named source that was
 * refused here (or is not installed) is a {@link CannotRunHereException}; the best one comes with a line for each
 * better-ranked source that was refused and skipped.
 */
final class VmaSourceSelector {
    private static final long WAIT_MILLIS = 5_000;

    private final BundleContext context;

    VmaSourceSelector(BundleContext context) {
        this.context = context;
    }

    /** The chosen source, held until {@link Chosen#close()}. */
    Chosen choose(Optional<String> name) throws CannotRunHereException, InterruptedException {
        if (name.isPresent()) {
            Optional<ComponentStatus> status = ComponentStatuses.named(context, ComponentKind.SOURCE, name.get());
            if (status.isEmpty() || !status.get().available()) {
                throw ComponentStatuses.cannotRun(context, ComponentKind.SOURCE, name.get());
            }
        }
        // A source whose status says it runs registers its service in the same step; the wait covers a framework
        // that is still starting.
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            Optional<ServiceReference<VmaSource>> ref = best(name);
            if (ref.isPresent()) {
                VmaSource source = context.getService(ref.get());
                if (source != null) {
                    List<String> skipped = name.isPresent() ? List.of()
                            : ComponentStatuses.skippedFor(ComponentStatuses.of(context, ComponentKind.SOURCE),
                                    source.name());
                    return new Chosen(context, ref.get(), source, skipped);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                if (name.isPresent()) {
                    throw ComponentStatuses.cannotRun(context, ComponentKind.SOURCE, name.get());
                }
                List<String> refused = ComponentStatuses.of(context, ComponentKind.SOURCE).stream()
                        .map(s -> s.name() + ": " + s.refusal()).toList();
                throw new CannotRunHereException("no VMA source can run here" + (refused.isEmpty()
                        ? " (no walker bundle is installed)" : ": " + String.join("; ", refused)));
            }
            Thread.sleep(50);
        }
    }

    private Optional<ServiceReference<VmaSource>> best(Optional<String> name) {
        try {
            String filter = name.map(n -> "(" + VmaSource.SOURCE_PROPERTY + "=" + n + ")").orElse(null);
            List<ServiceReference<VmaSource>> refs = List.copyOf(context.getServiceReferences(VmaSource.class, filter));
            // ServiceReference's natural order is ranking, then age: the greatest is the best.
            return refs.stream().max(Comparator.naturalOrder());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("source name with LDAP filter syntax: " + name.orElse(""), e);
        }
    }

    /**
     * A source in use, and a line for each better source that was refused here; releasing it lets its bundle go.
     */
    record Chosen(BundleContext context, ServiceReference<VmaSource> reference, VmaSource source,
            List<String> skipped) implements AutoCloseable {
        @Override
        public void close() {
            context.ungetService(reference);
        }
    }
}
