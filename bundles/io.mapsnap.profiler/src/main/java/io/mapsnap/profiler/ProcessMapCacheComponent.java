package io.mapsnap.profiler;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mapsnap.api.vma.ProcessGoneException;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;

/**
 * Keeps process maps keyed by process identity. The source reference is dynamic and greedy: a better-ranked
 * source that appears replaces the current one at once, and a source that goes away is replaced by the next
 * best, all without deactivating this component, so the kept snapshots survive every swap.
 */
@Component(service = ProcessMapCache.class)
public final class ProcessMapCacheComponent implements ProcessMapCache {
    private final Map<ProcessIdentity, VmaSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Long> taken = new ConcurrentHashMap<>();
    private final AtomicReference<Bound> source = new AtomicReference<>();

    /** The bound source and its service reference (for its name). */
    private record Bound(VmaSource source, ServiceReference<VmaSource> reference) {
        String name() {
            return String.valueOf(reference.getProperty(VmaSource.SOURCE_PROPERTY));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSource(VmaSource s, ServiceReference<VmaSource> ref) {
        source.set(new Bound(s, ref));
    }

    void unbindSource(VmaSource s, ServiceReference<VmaSource> ref) {
        // With a greedy reference DS binds the replacement before unbinding the old one: keep the new one.
        source.updateAndGet(b -> b != null && b.source() == s ? null : b);
    }

    @Override
    public VmaSnapshot capture(int tgid) throws VmaCaptureException {
        // A source can go away mid-call (its bundle stopping): retry once with whatever replaced it.
        VmaCaptureException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            Bound b = source.get();
            if (b == null) {
                throw new VmaCaptureException("no VMA source is active (is any walker bundle installed?)");
            }
            try {
                VmaSnapshot snap = b.source().snapshot(tgid);
                snapshots.put(new ProcessIdentity(snap.tgid(), snap.processStartTime()), snap);
                taken.merge(snap.source(), 1L, Long::sum);
                return snap;
            } catch (VmaCaptureException e) {
                if (e instanceof ProcessGoneException || source.get() == b) {
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
        Bound b = source.get();
        return b == null ? "none" : b.name();
    }

    @Override
    public Map<String, Long> snapshotsBySource() {
        return new TreeMap<>(taken);
    }
}
