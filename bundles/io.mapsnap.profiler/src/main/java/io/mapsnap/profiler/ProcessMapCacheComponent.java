package io.mapsnap.profiler;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * Keeps process maps keyed by process identity. The sources are a dynamic, greedy reference: a better-ranked source
 * that appears is used from the next capture on, and a source that goes away is replaced by the next best, all
 * without deactivating this component, so the kept snapshots survive every swap. A configured source (Configuration
 * Admin, {@link ProcessMapCacheConfig}) is used alone, or refused with the capability it lacks.
 */
@Component(service = ProcessMapCache.class, configurationPid = "io.mapsnap.profiler.cache")
public final class ProcessMapCacheComponent implements ProcessMapCache {
    private final Map<ProcessIdentity, VmaSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Long> taken = new ConcurrentHashMap<>();
    private final List<Bound> sources = new CopyOnWriteArrayList<>();
    private volatile String configured = "";

    /** Every component's standing: the words for a configured source that cannot run here. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ComponentStatus> statuses;

    /** A bound source and its service reference (for its name and ranking). */
    private record Bound(VmaSource source, ServiceReference<VmaSource> reference) {
        String name() {
            return String.valueOf(reference.getProperty(VmaSource.SOURCE_PROPERTY));
        }
    }

    @Activate
    @Modified
    void configure(ProcessMapCacheConfig config) {
        configured = config.source().strip();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSource(VmaSource s, ServiceReference<VmaSource> ref) {
        sources.add(new Bound(s, ref));
    }

    void unbindSource(VmaSource s, ServiceReference<VmaSource> ref) {
        sources.removeIf(b -> b.source() == s);
    }

    /** The configured source, or the best-ranked one (ServiceReference orders by ranking, then age). */
    private Bound current() throws VmaCaptureException {
        String name = configured;
        if (name.isEmpty()) {
            return sources.stream().max((a, b) -> a.reference().compareTo(b.reference())).orElse(null);
        }
        Optional<Bound> named = sources.stream().filter(b -> b.name().equals(name)).findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        List<ComponentStatus> all = statuses;
        throw new VmaCaptureException("the configured source (io.mapsnap.profiler.cache) is not available: "
                + ComponentStatus.whyUnavailable(all == null ? List.of() : all, ComponentKind.SOURCE, name));
    }

    @Override
    public VmaSnapshot capture(int tgid) throws VmaCaptureException {
        // A source can go away mid-call (its bundle stopping): retry once with whatever replaced it.
        VmaCaptureException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            Bound b = current();
            if (b == null) {
                throw new VmaCaptureException("no VMA source is active (is any walker bundle installed?)");
            }
            try {
                VmaSnapshot snap = b.source().snapshot(tgid);
                snapshots.put(new ProcessIdentity(snap.tgid(), snap.processStartTime()), snap);
                taken.merge(snap.source(), 1L, Long::sum);
                return snap;
            } catch (VmaCaptureException e) {
                if (e instanceof ProcessGoneException || sources.contains(b)) {
                    throw e;
                }
                first = e;
            }
        }
        throw first;
    }

    @Override
    public Optional<VmaSnapshot> cached(int tgid, long processStartTime) {
        return Optional.ofNullable(snapshots.get(new ProcessIdentity(tgid, processStartTime)));
    }

    @Override
    public int size() {
        return snapshots.size();
    }

    @Override
    public String activeSource() {
        try {
            Bound b = current();
            return b == null ? "none" : b.name();
        } catch (VmaCaptureException e) {
            return "none";
        }
    }

    @Override
    public Map<String, Long> snapshotsBySource() {
        return new TreeMap<>(taken);
    }
}
