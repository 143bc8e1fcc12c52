package io.mapsnap.profiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.VmaSnapshot;

/**
 * Every map collected during one profile, kept until its samples are symbolized, including maps of processes that
 * exited long before. A sample is resolved against the snapshots of its own process (tgid and start time) and, where
 * both sides know it, its own address space (the mm it was sampled in: an exec changes it).
 */
final class CollectedMaps {
    private final Map<ProcessIdentity, List<CollectedSnapshot>> byProcess = new ConcurrentHashMap<>();
    private final Map<CaptureTrigger, AtomicLong> byTrigger = new ConcurrentHashMap<>();
    private final Consumer<VmaSnapshot> onSnapshot;

    /** @param onSnapshot called with each snapshot as it arrives (the symbolizer keeps hold of the files) */
    CollectedMaps(Consumer<VmaSnapshot> onSnapshot) {
        this.onSnapshot = onSnapshot;
    }

    void add(CollectedSnapshot c) {
        VmaSnapshot s = c.snapshot();
        List<CollectedSnapshot> same = byProcess.computeIfAbsent(new ProcessIdentity(s.tgid(), s.processStartTime()),
                k -> java.util.Collections.synchronizedList(new ArrayList<>()));
        boolean spaceSeen;
        synchronized (same) {
            spaceSeen = c.addressSpace() != 0 && same.stream().anyMatch(o -> o.addressSpace() == c.addressSpace());
            same.add(c);
        }
        byTrigger.computeIfAbsent(c.trigger(), t -> new AtomicLong()).incrementAndGet();
        // The files of an address space walked before were kept then; its exit walk arrives when the process is
        // gone or going, where keeping them would only cost failing lookups in /proc.
        if (c.trigger() != CaptureTrigger.EXIT || !spaceSeen) {
            onSnapshot.accept(s);
        }
    }

    /** Whether any map of the process was collected. */
    boolean has(ProcessIdentity process) {
        return byProcess.containsKey(process);
    }

    /** Whether the process's final map (taken as it exited) was collected. */
    boolean exitCaptured(ProcessIdentity process) {
        List<CollectedSnapshot> l = byProcess.get(process);
        if (l == null) {
            return false;
        }
        synchronized (l) {
            return l.stream().anyMatch(c -> c.trigger() == CaptureTrigger.EXIT);
        }
    }

    /** Snapshots by what triggered them. */
    Map<CaptureTrigger, Long> countsByTrigger() {
        Map<CaptureTrigger, Long> m = new java.util.EnumMap<>(CaptureTrigger.class);
        byTrigger.forEach((t, n) -> m.put(t, n.get()));
        return m;
    }

    /** Every snapshot of every process, latest first: where else a file with a given build ID may be mapped. */
    List<VmaSnapshot> all() {
        List<CollectedSnapshot> every = new ArrayList<>();
        for (List<CollectedSnapshot> l : byProcess.values()) {
            synchronized (l) {
                every.addAll(l);
            }
        }
        every.sort(Comparator.comparing((CollectedSnapshot c) -> c.snapshot().takenAt()).reversed());
        return every.stream().map(CollectedSnapshot::snapshot).toList();
    }

    /**
     * The snapshots a sample may be resolved against, best first. First the mappings the sampler resolved inside
     * samples of its address space (IN_SAMPLE), taken at or before the sample, latest first: every mapping the
     * sample's stack landed in was written then, unless a lookup failed. Then the collector's: those taken at or
     * after the sample (the first of them holds every mapping that existed at the sample, including libraries
     * loaded after an earlier walk), then those taken before it, latest first. Last, in-sample mappings written
     * after the sample. Empty when nothing of the process was collected.
     */
    List<VmaSnapshot> candidates(ProcessIdentity process, long mm, java.time.Instant sampledAt) {
        List<CollectedSnapshot> l = byProcess.get(process);
        if (l == null) {
            return List.of();
        }
        List<CollectedSnapshot> same;
        synchronized (l) {
            same = l.stream().filter(c -> c.addressSpace() == 0 || mm == 0 || c.addressSpace() == mm).toList();
        }
        Comparator<CollectedSnapshot> byTime = Comparator.comparing(c -> c.snapshot().takenAt());
        List<CollectedSnapshot> inSample = same.stream().filter(c -> c.trigger() == CaptureTrigger.IN_SAMPLE)
                .toList();
        List<CollectedSnapshot> collected = same.stream().filter(c -> c.trigger() != CaptureTrigger.IN_SAMPLE)
                .toList();
        List<VmaSnapshot> out = new ArrayList<>();
        inSample.stream().filter(c -> !c.snapshot().takenAt().isAfter(sampledAt)).sorted(byTime.reversed())
                .forEach(c -> out.add(c.snapshot()));
        collected.stream().filter(c -> !c.snapshot().takenAt().isBefore(sampledAt)).sorted(byTime)
                .forEach(c -> out.add(c.snapshot()));
        collected.stream().filter(c -> c.snapshot().takenAt().isBefore(sampledAt)).sorted(byTime.reversed())
                .forEach(c -> out.add(c.snapshot()));
        inSample.stream().filter(c -> c.snapshot().takenAt().isAfter(sampledAt)).sorted(byTime)
                .forEach(c -> out.add(c.snapshot()));
        return out;
    }
}
