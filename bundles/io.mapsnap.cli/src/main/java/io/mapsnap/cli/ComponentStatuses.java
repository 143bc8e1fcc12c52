package io.mapsnap.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.format.CapabilityReport;

/**
 * The components' statuses in the registry: what runs here, what was refused and why. A command that skips a
 * refused component says so in one line, and a component named on the command line that cannot run is one line and
 * {@link MapsnapCommandLine#CANNOT_RUN_HERE}, never a stack trace.
 */
final class ComponentStatuses {
    private ComponentStatuses() {
    }

    /** Every status registered, in report order. */
    static List<ComponentStatus> all(BundleContext context) {
        List<ComponentStatus> out = new ArrayList<>();
        try {
            for (ServiceReference<ComponentStatus> r : context.getServiceReferences(ComponentStatus.class, null)) {
                ComponentStatus s = context.getService(r);
                if (s != null) {
                    out.add(s);
                    context.ungetService(r);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        out.sort(CapabilityReport.ORDER);
        return out;
    }

    /** The statuses of one kind, best first. */
    static List<ComponentStatus> of(BundleContext context, ComponentKind kind) {
        return all(context).stream().filter(s -> s.kind() == kind).toList();
    }

    /** The status of the named component of {@code kind}, if its bundle is installed and active. */
    static Optional<ComponentStatus> named(BundleContext context, ComponentKind kind, String name) {
        return of(context, kind).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * A line per refused component ranked above {@code chosen}, which the command used instead:
     * {@code kfunc: cannot run here: <reason>; using procmap-query}.
     */
    static List<String> skippedFor(List<ComponentStatus> statuses, String chosen) {
        Optional<ComponentStatus> used = statuses.stream().filter(s -> s.name().equals(chosen)).findFirst();
        int ranking = used.map(ComponentStatus::ranking).orElse(Integer.MIN_VALUE);
        return statuses.stream().filter(s -> !s.available() && s.ranking() > ranking)
                .map(s -> s.name() + ": cannot run here: " + s.refusal() + "; using " + chosen).toList();
    }

    /**
     * A line per variant of a running component that was refused before the one that runs, where the variants
     * differ in what they can do (the sampler's {@code find-vma} and {@code frame-pointers}):
     * {@code find-vma: cannot run here: <reason>; using frame-pointers}.
     */
    static List<String> refusedVariantsOf(ComponentStatus status) {
        List<String> lines = new ArrayList<>();
        for (var v : status.verdicts()) {
            if (v.accepted()) {
                String using = v.variant();
                return lines.stream().map(line -> line + "; using " + using).toList();
            }
            lines.add(v.variant() + ": cannot run here: " + v.summary());
        }
        return List.of();
    }

    /** The line for a named component that cannot run: refused, or not installed. */
    static CannotRunHereException cannotRun(BundleContext context, ComponentKind kind, String name) {
        return new CannotRunHereException(ComponentStatus.whyUnavailable(all(context), kind, name));
    }
}
