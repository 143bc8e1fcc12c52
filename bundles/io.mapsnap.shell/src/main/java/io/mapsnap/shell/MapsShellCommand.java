package io.mapsnap.shell;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.ComponentServiceObjects;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.VmaSource;

/** {@code mapsnap:maps PID [--source NAME]}: a process's memory map from the best (or the named) source. */
@Component(service = MapsShellCommand.class, property = {
        "osgi.command.scope=mapsnap",
        "osgi.command.function=maps"
})
public final class MapsShellCommand {
    // Greedy and dynamic: installing a better walker bundle takes effect for the next command.
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            cardinality = ReferenceCardinality.MULTIPLE)
    private volatile List<ComponentServiceObjects<VmaSource>> sources;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            cardinality = ReferenceCardinality.MULTIPLE)
    private volatile List<ComponentStatus> statuses;

    @Descriptor("the memory map of a process, as /proc/PID/maps prints it")
    public String maps(
            @Descriptor("take it from this source (kfunc, legacy, bpf-iter, find-vma, procmap-query, procfs)")
            @Parameter(names = "--source", absentValue = "") String source,
            @Descriptor("process id") int pid) throws Exception {
        ComponentServiceObjects<VmaSource> chosen = sources.stream()
                .filter(s -> source.isEmpty() || source.equals(s.getServiceReference().getProperty(VmaSource.SOURCE_PROPERTY)))
                .max((a, b) -> a.getServiceReference().compareTo(b.getServiceReference()))
                .orElseThrow(() -> new CannotRunHereException(source.isEmpty()
                        ? "no VMA source can run here (see mapsnap:caps)"
                        : ComponentStatus.whyUnavailable(statuses, ComponentKind.SOURCE, source)));
        VmaSource s = chosen.getService();
        if (s == null) {
            throw new CannotRunHereException("source " + chosen.getServiceReference().getProperty(
                    VmaSource.SOURCE_PROPERTY) + " went away (its bundle is stopping)");
        }
        try {
            return s.snapshot(pid).toProcMaps();
        } finally {
            chosen.ungetService(s);
        }
    }
}
