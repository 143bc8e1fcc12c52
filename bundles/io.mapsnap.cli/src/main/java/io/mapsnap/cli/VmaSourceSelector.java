package io.mapsnap.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.vma.SourceRequirement;
import io.mapsnap.api.vma.VmaSource;

/**
 * Picks the VMA source for one command: the named one, or the best-ranked one registered. Sources come and go
 * with their bundles and conditions, so a short wait covers a framework that is still starting.
 */
final class VmaSourceSelector {
    private static final long WAIT_MILLIS = 5_000;

    private final BundleContext context;
    private final KernelCapabilities capabilities;

    VmaSourceSelector(BundleContext context, KernelCapabilities capabilities) {
        this.context = context;
        this.capabilities = capabilities;
    }

    /** The chosen source, held until {@link Chosen#close()}. */
    Chosen choose(Optional<String> name) throws UsageException, InterruptedException {
        if (name.isPresent()) {
            Optional<SourceRequirement> req = SourceRequirement.of(name.get());
            if (req.isEmpty()) {
                throw new UsageException("unknown source '" + name.get() + "'; known: "
                        + SourceRequirement.KNOWN.stream().map(SourceRequirement::source).toList());
            }
            CapabilityResult needed = capabilities.result(req.get().capability());
            if (!needed.available()) {
                throw new IllegalStateException("source '" + name.get() + "' cannot run on this kernel: it needs "
                        + needed.capability().key() + ", which does not hold (" + needed.evidence() + ")");
            }
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            Optional<ServiceReference<VmaSource>> ref = best(name);
            if (ref.isPresent()) {
                VmaSource source = context.getService(ref.get());
                if (source != null) {
                    return new Chosen(context, ref.get(), source);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name.map(n -> "source '" + n + "' is not installed or not active")
                        .orElse("no VMA source is active (is any walker bundle installed?)"));
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

    /** A source in use; releasing it lets its bundle go. */
    record Chosen(BundleContext context, ServiceReference<VmaSource> reference, VmaSource source)
            implements AutoCloseable {
        @Override
        public void close() {
            context.ungetService(reference);
        }
    }
}
