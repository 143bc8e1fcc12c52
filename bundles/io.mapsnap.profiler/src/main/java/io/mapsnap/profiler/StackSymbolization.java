package io.mapsnap.profiler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;
import io.mapsnap.api.symbol.Symbolizer;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.kernel.vma.BootClock;

/**
 * Turns a merged stack into a profile stack: user frames through the maps collected for its process (the best
 * snapshot first, then the others for addresses the first does not cover), kernel frames through the kernel's
 * symbols; root first, as exporters want it.
 */
final class StackSymbolization {
    private final Symbolizer symbolizer;
    private final CollectedMaps maps;
    private final Map<Long, Frame> kernelFrames;
    private long inSample;
    private long fromCollector;
    private long withoutMap;
    private long fromDeferredWalk;
    private long withBuildId;
    private long buildIdWithoutFile;
    /** Every map of the profile, once a build ID was not found in its own process's maps. */
    private List<VmaSnapshot> allMaps;
    /** Build IDs no map of the profile has a file for: not searched again. */
    private final Set<String> buildIdsWithoutFile = new HashSet<>();

    /** @param kernelFrames kernel frames named while the profile's BPF programs were still loaded, by call site */
    StackSymbolization(Symbolizer symbolizer, CollectedMaps maps, Map<Long, Frame> kernelFrames) {
        this.symbolizer = symbolizer;
        this.maps = maps;
        this.kernelFrames = kernelFrames;
    }

    /**
     * Names every kernel call site of {@code stacks} at once. Called before the sampler and collector unload: frames
     * inside their BPF programs are named only while /proc/kallsyms still lists them.
     */
    static Map<Long, Frame> kernelFrames(Symbolizer symbolizer, Iterable<StackKey> stacks) {
        Set<Long> sites = new LinkedHashSet<>();
        for (StackKey k : stacks) {
            for (long a : callSites(k.kernel())) {
                sites.add(a);
            }
        }
        long[] addresses = sites.stream().mapToLong(Long::longValue).toArray();
        List<Frame> frames = symbolizer.symbolizeKernel(addresses);
        Map<Long, Frame> byAddress = new HashMap<>();
        for (int i = 0; i < addresses.length; i++) {
            byAddress.put(addresses[i], frames.get(i));
        }
        return byAddress;
    }

    ProfileStack symbolize(StackKey key, long firstBootNanos, long count) {
        List<Frame> user = userFrames(key, firstBootNanos, count);
        List<Frame> kernel = new ArrayList<>();
        for (long a : callSites(key.kernel())) {
            Frame f = kernelFrames.get(a);
            kernel.add(f != null ? f : symbolizer.symbolizeKernel(new long[] {a}).get(0));
        }
        Collections.reverse(user);
        Collections.reverse(kernel);
        List<Frame> frames = new ArrayList<>(user.size() + kernel.size());
        frames.addAll(user);
        frames.addAll(kernel);
        return new ProfileStack(key.process().tgid(), key.comm(), frames, count);
    }

    /** User frames (times their stacks' samples) by where their mapping came from. */
    FrameSources frameSources() {
        return new FrameSources(inSample, fromCollector, fromDeferredWalk, withoutMap, withBuildId,
                buildIdWithoutFile);
    }

    private List<Frame> userFrames(StackKey key, long firstBootNanos, long count) {
        long[] addresses = callSites(key.user());
        List<VmaSnapshot> candidates = maps.candidates(key.process(), key.mm(), BootClock.toInstant(firstBootNanos));
        String[] buildIds = key.userBuildIds();
        if (buildIds == null) {
            return framesThroughMaps(addresses, candidates, count);
        }
        // The build-ID sampler: frames the kernel normalized are named by their file; the rest, IPs, through maps.
        int[] ipAt = IntStream.range(0, addresses.length).filter(i -> buildIds[i] == null).toArray();
        List<Frame> throughMaps = framesThroughMaps(Arrays.stream(ipAt).mapToLong(i -> addresses[i]).toArray(),
                candidates, count);
        Frame[] frames = new Frame[addresses.length];
        for (int j = 0; j < ipAt.length; j++) {
            frames[ipAt[j]] = throughMaps.get(j);
        }
        for (int i = 0; i < addresses.length; i++) {
            if (buildIds[i] != null) {
                frames[i] = buildIdFrame(buildIds[i], addresses[i], candidates);
                withBuildId += count;
                if (buildIdsWithoutFile.contains(buildIds[i])) {
                    buildIdWithoutFile += count;
                }
            }
        }
        return new ArrayList<>(Arrays.asList(frames));
    }

    /** A (build ID, offset) frame: its file looked for in its own process's maps, then once in all of them. */
    private Frame buildIdFrame(String buildId, long fileOffset, List<VmaSnapshot> candidates) {
        boolean searched = buildIdsWithoutFile.contains(buildId);
        if (!searched && allMaps == null) {
            allMaps = maps.all();
        }
        Frame f = symbolizer.symbolizeBuildId(buildId, fileOffset, candidates, searched ? List.of() : allMaps);
        if (f.module() == null || !f.module().startsWith("/")) {
            buildIdsWithoutFile.add(buildId);
        }
        return f;
    }

    private List<Frame> framesThroughMaps(long[] addresses, List<VmaSnapshot> candidates, long count) {
        if (candidates.isEmpty()) {
            List<Frame> none = new ArrayList<>(addresses.length);
            for (long a : addresses) {
                none.add(Frame.unresolved(FrameKind.USER, a, null, a, null));
            }
            withoutMap += addresses.length * count;
            return none;
        }
        VmaSnapshot best = candidates.get(0);
        List<Frame> frames = new ArrayList<>(symbolizer.symbolizeUser(best, addresses));
        VmaSnapshot[] from = new VmaSnapshot[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            from[i] = best.find(addresses[i]).isPresent() ? best : null;
        }
        for (int c = 1; c < candidates.size(); c++) {
            VmaSnapshot other = candidates.get(c);
            for (int i = 0; i < frames.size(); i++) {
                // Only addresses the better map did not cover at all: never second-guess a mapping it had.
                if (from[i] == null && other.find(addresses[i]).isPresent()) {
                    frames.set(i, symbolizer.symbolizeUser(other, new long[] {addresses[i]}).get(0));
                    from[i] = other;
                }
            }
        }
        for (VmaSnapshot s : from) {
            if (s == null) {
                withoutMap += count;
            } else if (SamplerMaps.FIND_VMA_SOURCE.equals(s.source())) {
                inSample += count;
            } else if (SamplerMaps.TASK_WORK_SOURCE.equals(s.source())) {
                fromDeferredWalk += count;
            } else {
                fromCollector += count;
            }
        }
        return frames;
    }

    /**
     * Where user frames found their mapping, each counted once per sample.
     *
     * @param inSample in a mapping the sampler resolved inside a sample (the find-vma sampler)
     * @param fromCollector in a mapping of a collector's snapshot (a failed in-sample lookup falls back here)
     * @param fromDeferredWalk in a mapping of a walk a sample deferred into its task (the task-work samplers)
     * @param withoutMap in no known mapping: the frame stays an address
     * @param withBuildId given by the kernel as (build ID, file offset) (the build-ID sampler), needing no mapping;
     *        the three above count the others, which it gave as IPs
     * @param buildIdWithoutFile of those, frames whose build ID no file here has: they stay build ID and offset
     */
    record FrameSources(long inSample, long fromCollector, long fromDeferredWalk, long withoutMap, long withBuildId,
            long buildIdWithoutFile) {
    }

    /**
     * Frames above the leaf are return addresses, which may already lie in the next function when the call was a
     * function's last instruction: look them up one byte earlier, as perf and blazesym do.
     */
    static long[] callSites(long[] frames) {
        long[] a = frames.clone();
        for (int i = 1; i < a.length; i++) {
            a[i] = a[i] - 1;
        }
        return a;
    }
}
