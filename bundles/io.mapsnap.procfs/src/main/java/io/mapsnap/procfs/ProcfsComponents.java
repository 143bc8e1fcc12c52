package io.mapsnap.procfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.api.vma.VmaSource;
import io.mapsnap.kernel.program.ComponentPublication;

/**
 * What this bundle offers, each checked by doing it once: the PROCMAP_QUERY source (6.11+) and the /proc text
 * source read another process's map (this JVM's parent: a sandbox may shield PID 1 even from root), and the two
 * procfs collectors stand on the text source's check. What fails its check registers only its status, with the
 * error as the reason.
 */
@Component(immediate = true)
public final class ProcfsComponents {
    private final List<ComponentPublication> publications = new ArrayList<>();

    @Activate
    public ProcfsComponents(BundleContext context) {
        int other = (int) ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L).longValue();
        ProcmapQueryVmaSource query = new ProcmapQueryVmaSource();
        publishSource(context, query, ProcmapQueryVmaSource.RANKING,
                check("ioctl", "PROCMAP_QUERY ioctl on /proc/" + other + "/maps", query, other));
        ProcfsVmaSource text = new ProcfsVmaSource();
        VariantVerdict textCheck = check("text", "/proc/" + other + "/maps", text, other);
        publishSource(context, text, ProcfsVmaSource.RANKING, textCheck);
        publishCollector(context, new ProcfsAsyncVmaCollector(), ProcfsAsyncVmaCollector.RANKING, textCheck);
        publishCollector(context, new ProcfsAtEndVmaCollector(), ProcfsAtEndVmaCollector.RANKING, textCheck);
    }

    private static VariantVerdict check(String variant, String artifact, VmaSource source, int pid) {
        try {
            return VariantVerdict.accepted(variant, artifact, "read " + source.snapshot(pid).vmas().size()
                    + " VMAs of process " + pid);
        } catch (VmaCaptureException e) {
            return VariantVerdict.refused(variant, artifact, null, e.getMessage(), false);
        }
    }

    private void publishSource(BundleContext context, VmaSource source, int ranking, VariantVerdict verdict) {
        ComponentStatus status = new ComponentStatus(ComponentKind.SOURCE, source.name(), ranking, List.of(verdict));
        publications.add(ComponentPublication.publish(context, status, VmaSource.class, source,
                Map.of(VmaSource.SOURCE_PROPERTY, source.name()), null));
    }

    private void publishCollector(BundleContext context, VmaCollector collector, int ranking,
            VariantVerdict verdict) {
        ComponentStatus status = new ComponentStatus(ComponentKind.COLLECTOR, collector.name(), ranking,
                List.of(verdict));
        publications.add(ComponentPublication.publish(context, status, VmaCollector.class, collector,
                Map.of(VmaCollector.COLLECTOR_PROPERTY, collector.name()), null));
    }

    @Deactivate
    void deactivate() {
        publications.forEach(ComponentPublication::close);
        publications.clear();
    }
}
