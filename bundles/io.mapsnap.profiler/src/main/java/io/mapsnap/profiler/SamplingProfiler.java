package io.mapsnap.profiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.profile.ComponentRefusedException;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileMetadata;
import io.mapsnap.api.profile.ProfileProgress;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.profile.ProfilerException;
import io.mapsnap.api.symbol.Symbolizer;
import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.CollectedSnapshot;
import io.mapsnap.api.vma.CollectionScope;
import io.mapsnap.api.vma.CollectionSession;
import io.mapsnap.api.vma.CollectionStats;
import io.mapsnap.api.vma.ProcessMapCache;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaCollector;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.proc.ProcessStat;
import io.mapsnap.kernel.program.ProgramVariant;

/**
 * The sampling profiler: cpu-clock samples of user and kernel stacks from BPF, memory maps from the best (or the
 * named) {@link VmaCollector} while sampling runs, symbolization once sampling ends. Because the maps are collected
 * as processes run and exit, samples of processes that are gone by the end are still named.
 */
@Component(configurationPid = "io.mapsnap.profiler")
public final class SamplingProfiler implements Profiler {
    private static final System.Logger LOG = System.getLogger(SamplingProfiler.class.getName());

    private record RankedCollector(VmaCollector collector, int ranking) {
    }

    private final List<RankedCollector> collectors = new CopyOnWriteArrayList<>();
    private volatile String configuredCollector = "";

    @Activate
    @Modified
    void configure(SamplingProfilerConfig config) {
        configuredCollector = config.collector().strip();
    }

    @Reference
    private Symbolizer symbolizer;

    /**
     * The sampler's standing, which names the variant to load: mandatory, so that no profile starts before the
     * sampler's check has chosen (a profile at start-up would otherwise fall back to the plain sampler unseen).
     */
    @Reference(target = "(&(" + ComponentStatus.KIND_PROPERTY + "=sampler)(" + ComponentStatus.NAME_PROPERTY + "="
            + StackSamplerStatus.NAME + "))")
    private ComponentStatus samplerStatus;

    /** Every component's standing: the words for a collector or sampler that cannot run here. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ComponentStatus> statuses;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProcessMapCache mapCache;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCollector(VmaCollector c, Map<String, Object> properties) {
        Object r = properties.get(Constants.SERVICE_RANKING);
        collectors.add(new RankedCollector(c, r instanceof Integer i ? i : 0));
    }

    void unbindCollector(VmaCollector c) {
        collectors.removeIf(r -> r.collector() == c);
    }

    @Override
    public Profile profile(ProfileRequest request, Consumer<ProfileProgress> progress) throws ProfilerException {
        String named = request.collector() != null ? request.collector()
                : configuredCollector.isEmpty() ? null : configuredCollector;
        VmaCollector collector = chooseCollector(named);
        Set<Integer> missing = missingProcesses(request.pids());
        Instant start;
        CollectedMaps maps = new CollectedMaps(symbolizer::retain);
        StackCounts stacks = new StackCounts();
        Map<ProcessIdentity, Boolean> seen = new ConcurrentHashMap<>();
        Set<SampledAddressSpace> addressSpaces = ConcurrentHashMap.newKeySet();
        long[] userErrors = new long[1];
        CollectionStats collectionStats;
        SamplerCounts samplerCounts;
        Map<Long, io.mapsnap.api.symbol.Frame> kernelFrames;
        Map<StackKey, StackCounts.Entry> merged;
        long samples;
        ProgramVariant samplerVariant = samplerVariant();
        try (CollectionSession session = collector.start(
                new CollectionScope(request.pids(), request.cgroupId()).executableMappingsOnly(),
                maps::add)) {
            long[] received = new long[1];
            try (StackSampler sampler = StackSampler.start(samplerVariant, request.frequencyHz(), request.pids(),
                    request.cgroupId(), request.kernelStacks(), s -> {
                        received[0]++;
                        if (s.userError() != 0) {
                            userErrors[0]++;
                        }
                        stacks.add(s);
                        ProcessIdentity p = new ProcessIdentity(s.tgid(), s.startTimeClockTicks());
                        seen.putIfAbsent(p, Boolean.TRUE);
                        // Per address space: a process sampled before and after its exec needs both maps.
                        if (addressSpaces.add(new SampledAddressSpace(p, s.mm()))) {
                            session.sampled(p.tgid(), p.startTime(), s.mm());
                        }
                    }, maps::add)) {
                // The requested duration is of sampling: loading the collector and the sampler, which takes
                // seconds under a slow verifier, is not part of it.
                start = Instant.now();
                sampleUntilDone(request, missing, start, sampler, session, maps, seen, received, progress);
                sampler.stopSampling();
                samplerCounts = sampler.counts();
                // Sampling has stopped: the merged stacks are final, one copy serves both symbolization steps.
                merged = stacks.snapshot();
                kernelFrames = StackSymbolization.kernelFrames(symbolizer, merged.keySet());
                if (sampler.drainFailure() != null) {
                    throw new ProfilerException("reading samples failed: " + sampler.drainFailure().getMessage(),
                            sampler.drainFailure());
                }
            }
            samples = received[0];
            collectionStats = session.stats();
        } catch (VmaCaptureException e) {
            throw new ProfilerException("collector " + collector.name() + " could not start: " + e.getMessage(), e);
        } catch (BpfLoadException e) {
            throw new ComponentRefusedException("sampler " + StackSamplerStatus.NAME + ": cannot run here: "
                    + e.refusal());
        } catch (BpfException | IOException e) {
            throw new ProfilerException("sampling could not start: " + e.getMessage(), e);
        }
        Duration duration = Duration.between(start, Instant.now());
        int afterSample = captureStragglers(maps, seen.keySet());

        StackSymbolization symbolization = new StackSymbolization(symbolizer, maps, kernelFrames);
        List<ProfileStack> out = new ArrayList<>();
        merged.forEach((k, e) -> out.add(symbolization.symbolize(k, e.firstBootNanos, e.count.get())));
        StackSymbolization.FrameSources frames = symbolization.frameSources();
        out.sort(Comparator.comparingLong(ProfileStack::count).reversed());

        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("samples.lost", samplerCounts.lost());
        counters.put("samples.idle", samplerCounts.idle());
        counters.put("samples.malformed", samplerCounts.malformed());
        counters.put("samples.user-stack-errors", userErrors[0]);
        counters.put("stacks.distinct", (long) out.size());
        counters.put("frames.user.in-sample", frames.inSample());
        counters.put("frames.user.from-collector", frames.fromCollector());
        counters.put("frames.user.without-map", frames.withoutMap());
        if (samplerVariant == StackSampler.BUILD_ID) {
            counters.put("frames.user.build-id", frames.withBuildId());
            counters.put("frames.user.build-id-without-file", frames.buildIdWithoutFile());
        }
        if (samplerCounts.findVma() != null) {
            samplerCounts.findVma().addTo(counters);
        }
        if (samplerCounts.taskWork() != null) {
            counters.put("frames.user.from-deferred-walk", frames.fromDeferredWalk());
            samplerCounts.taskWork().addTo(counters);
        }
        counters.put("processes.without-map", seen.keySet().stream().filter(p -> !maps.has(p)).count());
        counters.put("processes.exit-captured", seen.keySet().stream().filter(maps::exitCaptured).count());
        counters.put("pids.missing", (long) missing.size());
        counters.put("collector.snapshots", collectionStats.snapshots());
        counters.put("collector.failed", collectionStats.failed());
        counters.put("collector.truncated", collectionStats.truncated());
        counters.put("collector.incomplete", collectionStats.dropped());
        counters.put("collector.lost-records", collectionStats.lostRecords());
        counters.put("collector.after-sample-fallback", (long) afterSample);
        maps.countsByTrigger().forEach((t, n) -> counters.put("snapshots." + t.name().toLowerCase(), n));
        int exited = (int) seen.keySet().stream().filter(p -> !alive(p)).count();
        ProfileMetadata metadata = new ProfileMetadata(start, duration, request.frequencyHz(), "cpu-clock",
                collector.name(), kernelRelease(), samples, samplerCounts.lost(), seen.size(), exited, counters);
        return new Profile(metadata, out);
    }

    private void sampleUntilDone(ProfileRequest request, Set<Integer> missing, Instant start, StackSampler sampler,
            CollectionSession session, CollectedMaps maps, Map<ProcessIdentity, Boolean> seen, long[] received,
            Consumer<ProfileProgress> progress) {
        Instant end = start.plus(request.duration());
        boolean targetsGone = !request.pids().isEmpty() && missing.containsAll(request.pids());
        while (!targetsGone && Instant.now().isBefore(end)) {
            try {
                Thread.sleep(Math.min(1000, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // interrupted: end early, keep what was collected
                break;
            }
            SamplerCounts c = sampler.counts();
            // Drops are samples and map records alike: a lost walk record costs frames as surely as a lost sample.
            long drops = c.lost() + c.malformed() + session.stats().lostRecords();
            progress.accept(new ProfileProgress(Duration.between(start, Instant.now()), received[0], seen.size(),
                    (int) seen.keySet().stream().filter(maps::exitCaptured).count(), drops));
            targetsGone = !request.pids().isEmpty() && request.pids().stream().noneMatch(SamplingProfiler::exists);
        }
    }

    /**
     * Sampled processes no collector walked (e.g. a loop that never made a system call while sampled) are still
     * alive at the end as a rule: snapshot them now with the best on-demand source.
     */
    private int captureStragglers(CollectedMaps maps, Set<ProcessIdentity> sampled) {
        ProcessMapCache cache = mapCache;
        if (cache == null) {
            return 0;
        }
        int n = 0;
        for (ProcessIdentity p : sampled) {
            if (maps.has(p)) {
                continue;
            }
            try {
                VmaSnapshot s = cache.capture(p.tgid());
                if (s.processStartTime() == p.startTime()) {
                    maps.add(new CollectedSnapshot(s, 0, CaptureTrigger.AFTER_SAMPLE));
                    n++;
                }
            } catch (VmaCaptureException e) {
                // Gone: its frames stay module+offset, counted in processes.without-map.
            }
        }
        return n;
    }

    private VmaCollector chooseCollector(String name) throws ProfilerException {
        List<RankedCollector> ranked = new ArrayList<>(collectors);
        ranked.sort(Comparator.comparingInt(RankedCollector::ranking).reversed());
        if (ranked.isEmpty()) {
            List<String> refused = currentStatuses().stream().filter(st -> st.kind() == ComponentKind.COLLECTOR)
                    .map(st -> st.name() + ": " + st.refusal()).toList();
            throw new ComponentRefusedException("no map collector can run here" + (refused.isEmpty()
                    ? ": install a collector bundle (io.mapsnap.iter, io.mapsnap.legacy, io.mapsnap.procfs)"
                    : ": " + String.join("; ", refused)));
        }
        if (name == null) {
            return ranked.get(0).collector();
        }
        Optional<VmaCollector> named = ranked.stream().map(RankedCollector::collector)
                .filter(c -> c.name().equals(name)).findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        throw new ComponentRefusedException("collector " + ComponentStatus.whyUnavailable(currentStatuses(),
                ComponentKind.COLLECTOR, name));
    }

    /** The sampler variant this kernel accepted, else the plain one, to be refused with the kernel's words. */
    private ProgramVariant samplerVariant() {
        return samplerStatus.running().flatMap(v -> StackSampler.variant(v.variant()))
                .orElse(StackSampler.FRAME_POINTERS);
    }

    private List<ComponentStatus> currentStatuses() {
        List<ComponentStatus> s = statuses;
        return s == null ? List.of() : s;
    }

    private static Set<Integer> missingProcesses(Set<Integer> pids) {
        Set<Integer> missing = new java.util.TreeSet<>();
        for (int pid : pids) {
            if (!exists(pid)) {
                missing.add(pid);
            }
        }
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "no such process: {0}", missing);
        }
        return missing;
    }

    private static boolean exists(int pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    private static boolean alive(ProcessIdentity p) {
        try {
            ProcessStat stat = ProcessStat.read(p.tgid());
            return stat.startTime() == p.startTime() && !stat.zombie();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
