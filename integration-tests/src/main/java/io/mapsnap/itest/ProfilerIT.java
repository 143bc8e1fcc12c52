package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.export.ProfileFiles;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * The profiler end to end on this machine's kernel, in Felix with the real bundles: samples from perf events, maps
 * from the best collector, symbols from the binaries and kallsyms, files from the exporters.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ProfilerIT {
    private static final String WORKLOAD = "short_lived";
    // For the tests of symbols and exporters, not of exited processes: a child that lives long enough for every
    // collector, procfs-async's read at its first sample included, so these tests hold on every kernel of the
    // matrix. That read waits behind the reads of every other sampled process on one worker thread: in a loaded
    // emulated guest (6.1 under TCG) the queue once outlasted a 4 s child.
    private static final String FIND_VMA_SAMPLER = "profile_sampler_find_vma";
    private static final String BUILD_ID_SAMPLER = "profile_sampler_build_id";
    private static final String TASK_WORK_SAMPLERS = "profile_sampler_task_work*";
    private static final String PROFILER_BUNDLE = "io.mapsnap.profiler";
    private static final int LIVING_CHILDREN = 1;
    private static final int LIVING_CHILD_MILLIS = TimeScale.emulated() ? 8000 : 2000;

    @InjectService(timeout = 15_000)
    Profiler profiler;

    @InjectService(timeout = 10_000)
    KernelCapabilities capabilities;

    @InjectBundleContext
    BundleContext context;

    /** The collectors that walk maps while processes live (BPF), as opposed to reading /proc after a sample. */
    private static final Set<String> COLLECTION_TIME = Set.of("kfunc", "legacy");

    @InjectService(timeout = 10_000, cardinality = 3)
    List<ProfileExporter> exporters;

    /**
     * The exited-process proof: a workload whose every child lives about 100 ms and is gone long before
     * symbolization is profiled with collection-time maps, with the classic after-the-fact /proc read (at the end,
     * as bcc's profile does when it prints), and with the /proc read at each process's first sample, all three with
     * the plain sampler (the find-vma, task-work and build-ID samplers refused), so that each share is the
     * collector's alone. Then, where it runs, the find-vma sampler with the classic collector: its in-sample
     * mappings alone name the children. Every user frame of the workload's samples counts except those inside
     * execve, which no map can name (more of each child is spent there on a slow machine).
     */
    @Test
    void stacksOfExitedProcessesAreNamedWithCollectionTimeMaps() throws Exception {
        // Four profiles of 30 children each take minutes under emulation; there the test below is the proof.
        Assumptions.assumeFalse(TimeScale.emulated(), "the three-way comparison runs on the host only");
        String collectionTime = bestRunning(COLLECTION_TIME).map(ComponentStatus::name).orElse(null);
        Assumptions.assumeTrue(collectionTime != null, () -> "no collection-time collector runs here: "
                + statuses().stream().filter(s -> COLLECTION_TIME.contains(s.name())).map(s -> s.name() + ": "
                        + s.refusal()).toList());
        String sampler = samplerVariant();
        Share mapsnap;
        Share classic;
        Share firstSample;
        try (InjectedRefusal r = InjectedRefusal.of(context, FIND_VMA_SAMPLER + "," + TASK_WORK_SAMPLERS + ","
                + BUILD_ID_SAMPLER, PROFILER_BUNDLE)) {
            Profiler plain = currentProfiler();
            mapsnap = profileWorkload(plain, collectionTime);
            classic = profileWorkload(plain, "procfs-at-end");
            firstSample = profileWorkload(plain, "procfs-async");
        }
        System.out.printf("exited-process proof: user frames of %s's children named: %s %.2f %% (%d of %d, "
                + "%d children sampled, %d frames inside execve left out); procfs-at-end (classic) %.2f %% (%d of %d);"
                + " procfs-async %.2f %% (%d of %d); %s unnamed: %s%n", WORKLOAD, collectionTime, mapsnap.percent(),
                mapsnap.named, mapsnap.total, mapsnap.processes, mapsnap.inExecve, classic.percent(), classic.named,
                classic.total, firstSample.percent(), firstSample.named, firstSample.total, collectionTime,
                mapsnap.unnamed);
        assertTrue(classic.percent() < 50, "the classic baseline named " + classic.percent()
                + " %: the workload's children did not exit before symbolization");
        assertTrue(mapsnap.processes >= 10, "only " + mapsnap.processes + " children sampled");
        assertTrue(mapsnap.total >= 200, "only " + mapsnap.total + " user frames sampled");
        assertTrue(mapsnap.percent() >= 99.0, String.format("%.2f %% named, want >= 99 %%; unnamed %s",
                mapsnap.percent(), mapsnap.unnamed()));
        if (!sampler.equals("find-vma")) {
            System.out.println("exited-process proof: the find-vma sampler does not run here (sampler " + sampler
                    + "): no in-sample share");
            return;
        }
        Share inSample = profileWorkload(currentProfiler(), "procfs-at-end");
        System.out.printf("exited-process proof: find-vma sampler with procfs-at-end %.2f %% (%d of %d, %d children"
                + " sampled)%n", inSample.percent(), inSample.named, inSample.total, inSample.processes);
        assertTrue(inSample.percent() >= 99.0, String.format("find-vma sampler: %.2f %% named, want >= 99 %%;"
                + " unnamed %s", inSample.percent(), inSample.unnamed()));
    }

    /**
     * The exited-process proof on every kernel: the profiler takes the best collector and sampler that run here, and
     * a collection-time collector's maps, or the mappings the find-vma sampler resolved inside the samples, name
     * the code of children that are all gone by symbolization: at least 99 % of it (see {@link OwnCodeShare}), or
     * what this exact build's record says. procfs-async alone, the fallback where neither loads, races each exit
     * and promises no share: its share is reported, and held to the record of a recorded build.
     */
    @Test
    void theBestCollectorThatRunsNamesTheCodeOfExitedProcesses() throws Exception {
        ComponentStatus best = bestRunning(null).orElseThrow(() -> new AssertionError("no collector runs here: "
                + statuses()));
        String sampler = samplerVariant();
        Optional<KernelExpectations> record = KernelExpectations.forBuild(capabilities.kernelRelease(),
                capabilities.kernelVersion());
        double min = record.flatMap(KernelExpectations::exitedFramesNamedMin)
                .orElse(COLLECTION_TIME.contains(best.name()) || sampler.equals("find-vma")
                        || sampler.startsWith("task-work") ? 99.0 : 0.0);
        Profile p = profileWorkloadProfile(null, 20, 100, 499);
        OwnCodeShare share = OwnCodeShare.of(p, WORKLOAD);
        Map<String, Long> counters = p.metadata().counters();
        System.out.printf("kernel %s %s: collector %s (best that runs: %s), sampler %s; %s: %s; want >= %.0f %%;"
                + " user frames' mappings: %d in the sample, %d from the collector, %d in none%n",
                capabilities.kernelRelease(), capabilities.kernelVersion(), p.metadata().collector(), best.name(),
                sampler, WORKLOAD, share, min, counters.getOrDefault("frames.user.in-sample", 0L),
                counters.getOrDefault("frames.user.from-collector", 0L),
                counters.getOrDefault("frames.user.without-map", 0L));
        // The sampler that ran is the one its status says runs: in-sample mappings exactly when it is find-vma.
        assertEquals(sampler.equals("find-vma"), counters.containsKey("sampler.find-vma.lookups"),
                "sampler " + sampler + " ran, but the profile's counters say otherwise: " + counters);
        if (sampler.equals("find-vma")) {
            assertTrue(counters.get("frames.user.in-sample") > 0,
                    "the find-vma sampler resolved no frame: " + counters);
        }
        assertEquals(best.name(), p.metadata().collector(), "the profiler chose another collector than the best");
        record.flatMap(KernelExpectations::collector).ifPresent(c -> assertEquals(c, p.metadata().collector(),
                record.get() + ": recorded with another collector"));
        // Too few to judge a share by means the workload ran outside the profile or was not sampled.
        assertTrue(share.own() >= 100, "only " + share.own() + " samples in " + WORKLOAD + "'s own code");
        assertTrue(share.percent() >= min, WORKLOAD + ": " + share + "; want >= " + min + " %");
    }

    /**
     * Processes that make no system call after their exec and are killed (no exit_group either): only mappings
     * resolved inside the samples name their code once they are gone, since a collector walks at system calls and
     * at exit, which on kernels whose sched_process_exit comes after exit_mm (5.10, 6.1, 6.12) is too late. Where the
     * find-vma sampler runs, at least 95 % of their user frames are named.
     */
    @Test
    void processesKilledWithoutASystemCallAreNamedFromTheirSamples() throws Exception {
        String sampler = samplerVariant();
        Assumptions.assumeTrue(sampler.equals("find-vma"), () -> "sampler " + sampler + " resolves nothing inside"
                + " its samples here: a process that never makes a system call is walked only where"
                + " sched_process_exit still sees its mm");
        assertSpinnersNamed(profiler, sampler);
    }

    /**
     * The task-work sampler (forced: the find-vma sampler refused by the fault-injection switch), where the kernel
     * accepts one of the task_work kfunc's shapes: each sample of an address space not walked yet defers a whole walk
     * into its task. With only the classic read of /proc at the end, which finds none of the exited children, those
     * walks name at least 99 % of their own code; and at least 95 % of the user frames of processes killed without
     * ever making a system call.
     */
    @Test
    void theTaskWorkSamplersDeferredWalksNameExitedAndSpinningProcesses() throws Exception {
        try (InjectedRefusal r = InjectedRefusal.of(context, FIND_VMA_SAMPLER, PROFILER_BUNDLE)) {
            String sampler = samplerVariant();
            Assumptions.assumeTrue(sampler.startsWith("task-work"), () -> "no task-work sampler runs here: "
                    + RunnableComponent.statuses(context, ComponentKind.SAMPLER));
            Profiler p = currentProfiler();
            Profile exited = profileWorkloadProfile(p, "procfs-at-end", 20, 100, 499);
            OwnCodeShare share = OwnCodeShare.of(exited, WORKLOAD);
            Map<String, Long> c = exited.metadata().counters();
            System.out.printf("task-work sampler %s with procfs-at-end: %s; user frames from deferred walks %d, from"
                    + " the collector %d, in none %d; walks queued %d, done %d, queue failed %d, stale %d, scratch"
                    + " busy %d%n", sampler, share, c.get("frames.user.from-deferred-walk"),
                    c.get("frames.user.from-collector"), c.get("frames.user.without-map"),
                    c.get("sampler.task-work.queued"), c.get("sampler.task-work.walks"),
                    c.get("sampler.task-work.queue-failed"), c.get("sampler.task-work.walks-stale"),
                    c.get("sampler.task-work.walks-scratch-busy"));
            assertTrue(c.get("sampler.task-work.walks") >= 10, "fewer deferred walks than children: " + c);
            assertTrue(share.own() >= 100, "only " + share.own() + " samples in " + WORKLOAD + "'s code: " + c);
            assertTrue(share.percent() >= 99.0, WORKLOAD + " with deferred walks: " + share + "; " + c);
            assertSpinnersNamed(p, sampler);
        }
    }

    /** Spinners that never make a system call, killed after 150 ms each: at least 95 % of their frames named. */
    private void assertSpinnersNamed(Profiler using, String sampler) throws Exception {
        Path exe = Path.of(System.getProperty("mapsnap.workloads"), "spin_nosyscall");
        int children = 8;
        long lifeMillis = TimeScale.millis(150);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        Profile p;
        try {
            Future<Profile> profile = ex.submit(() -> using.profile(new ProfileRequest(Set.of(), 0,
                    TimeScale.of(Duration.ofMillis(children * 150L + 2500)), 499, null, true), x -> { }));
            Thread.sleep(TimeScale.millis(1000)); // sampling is attached
            for (int i = 0; i < children; i++) {
                Process spinner = new ProcessBuilder(exe.toString()).start();
                Thread.sleep(lifeMillis);
                assertTrue(spinner.destroyForcibly().waitFor(TimeScale.millis(10_000), TimeUnit.MILLISECONDS));
            }
            assertFalse(profile.isDone(), "the profile ended before the spinners were killed");
            p = profile.get(TimeScale.millis(60_000), TimeUnit.MILLISECONDS);
        } finally {
            ex.shutdownNow();
        }
        long total = 0;
        long named = 0;
        for (ProfileStack s : p.stacks()) {
            if (!s.comm().equals("spin_nosyscall")) {
                continue;
            }
            for (Frame f : s.frames()) {
                if (f.kind() != FrameKind.KERNEL) {
                    total += s.count();
                    named += f.resolved() ? s.count() : 0;
                }
            }
        }
        System.out.printf("killed without a system call: %d of %d user frames of spin_nosyscall named (%.2f %%);"
                + " collector %s, sampler %s%n", named, total, total == 0 ? 0 : 100.0 * named / total,
                p.metadata().collector(), sampler);
        assertTrue(total >= 50, "only " + total + " user frames of spin_nosyscall sampled");
        assertTrue(named >= total * 0.95, named + " of " + total + " user frames named; counters "
                + p.metadata().counters());
    }

    /**
     * The build-ID sampler (forced: the find-vma and task-work samplers refused by the fault-injection switch): the kernel gives the
     * workload's frames as (build ID, file offset), which hold after the process exited and its binary was deleted and
     * replaced by another program under the same name. First with the best collector: its own code is named from the
     * original file, not the replacement. Then with only the classic read of /proc at the end, which finds none of
     * the children: their frames still carry the same build ID, and the symbolizer, which read that file in the first
     * profile, names them from it; a frame the kernel gave without a build ID (counted) is the only kind left unnamed.
     */
    @Test
    void buildIdFramesOutliveTheProcessAndTheReplacementOfItsBinary() throws Exception {
        Path workloads = Path.of(System.getProperty("mapsnap.workloads"));
        // Beside the workloads, not in /tmp, which may be mounted noexec.
        Path dir = Files.createTempDirectory(workloads.getParent(), "build-id");
        Path exe = dir.resolve(WORKLOAD);
        try (InjectedRefusal r = InjectedRefusal.of(context, FIND_VMA_SAMPLER + "," + TASK_WORK_SAMPLERS,
                PROFILER_BUNDLE)) {
            String sampler = samplerVariant();
            Assumptions.assumeTrue(sampler.equals("build-id"), () -> "the build-ID sampler cannot run here: "
                    + RunnableComponent.statuses(context, ComponentKind.SAMPLER));
            ComponentStatus best = bestRunning(null).orElseThrow(() -> new AssertionError("no collector runs here"));
            Profiler p = currentProfiler();
            ThrowingRunnable replace = () -> {
                Files.delete(exe);
                Files.copy(workloads.resolve("spin_nosyscall"), exe, StandardCopyOption.COPY_ATTRIBUTES);
            };
            Files.copy(workloads.resolve(WORKLOAD), exe, StandardCopyOption.COPY_ATTRIBUTES);
            Profile first = profileWorkloadProfile(p, null, 20, 100, 499, exe, replace);
            Files.delete(exe);
            Files.copy(workloads.resolve(WORKLOAD), exe, StandardCopyOption.COPY_ATTRIBUTES);
            Profile classic = profileWorkloadProfile(p, "procfs-at-end", 20, 100, 499, exe, replace);

            OwnCodeShare firstShare = OwnCodeShare.of(first, WORKLOAD);
            OwnCodeShare classicShare = OwnCodeShare.of(classic, WORKLOAD);
            Map<String, Long> c1 = first.metadata().counters();
            Map<String, Long> c2 = classic.metadata().counters();
            System.out.printf("build-id sampler: collector %s: %s; user frames with a build ID %d (%d without a file"
                    + " here), as IPs through maps %d; procfs-at-end: %s; with a build ID %d (%d without a file),"
                    + " as IPs %d in a map, %d in none%n", first.metadata().collector(), firstShare,
                    c1.get("frames.user.build-id"), c1.get("frames.user.build-id-without-file"),
                    c1.get("frames.user.from-collector") + c1.get("frames.user.without-map"), classicShare,
                    c2.get("frames.user.build-id"), c2.get("frames.user.build-id-without-file"),
                    c2.get("frames.user.from-collector"), c2.get("frames.user.without-map"));
            assertEquals(best.name(), first.metadata().collector());
            assertTrue(c1.get("frames.user.build-id") > 0, "no frame with a build ID: " + c1);
            assertTrue(firstShare.own() >= 100, "only " + firstShare.own() + " samples in " + WORKLOAD + "'s code");
            double min = COLLECTION_TIME.contains(best.name()) ? 99.0 : 0.0;
            assertTrue(firstShare.percent() >= min, firstShare + "; want >= " + min + " %");
            assertTrue(firstShare.resolved() > 0, "nothing of " + WORKLOAD + " named: " + firstShare);
            Set<String> ids = leafBuildIds(first);
            assertEquals(1, ids.size(), "the workload's named code has one build ID, the original's: " + ids);
            // Only build IDs can name the children's code in the second profile: no map of them was taken.
            assertTrue(c2.get("processes.without-map") >= 10, "children with a map at the end: " + c2);
            assertTrue(classicShare.own() >= 100, "only " + classicShare.own() + " samples in its code: " + c2);
            // Judged on the leaves the kernel gave with a build ID: a bare IP of an exited child (the kernel could not
            // take the build ID at that moment) has no map here, by the test's design, and nothing can name it.
            OwnCodeShare classicById = OwnCodeShare.ofLeavesWithBuildId(classic, WORKLOAD);
            System.out.printf("procfs-at-end, leaves with a build ID: %s%n", classicById);
            assertTrue(classicById.own() >= classicShare.own() / 2, "most leaves come with a build ID: "
                    + classicById + " of " + classicShare + "; " + c2);
            assertTrue(classicById.percent() >= 95.0, "procfs-at-end, leaves with build IDs: " + classicById
                    + " (all leaves: " + classicShare + "); " + c2);
            assertEquals(ids, leafBuildIds(classic), "the same file, the same build ID");
        } finally {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        }
    }

    /** The build IDs of the named leaves in the workload's own code. */
    private static Set<String> leafBuildIds(Profile p) {
        return p.stacks().stream().filter(s -> s.comm().equals(WORKLOAD))
                .map(s -> s.frames().stream().filter(f -> f.kind() != FrameKind.KERNEL).reduce((a, b) -> b)
                        .orElse(null))
                .filter(f -> f != null && f.resolved() && f.function().startsWith(WORKLOAD + "_"))
                .map(Frame::buildId).collect(Collectors.toSet());
    }

    /** Known functions appear in the folded output, each leaf with a plausible share of the child's samples. */
    @Test
    void knownFunctionsAppearInTheFoldedOutputWithPlausibleShares() throws Exception {
        Profile p = profileWorkloadProfile(null, LIVING_CHILDREN, LIVING_CHILD_MILLIS, 499);
        String folded = export(p, ".folded");
        List<String> lines = folded.lines().filter(l -> l.startsWith(WORKLOAD + ";")).toList();
        assertTrue(!lines.isEmpty(), "no stacks of " + WORKLOAD + " in:\n" + head(folded));
        long total = lines.stream().mapToLong(ProfilerIT::count).sum();
        long alpha = lines.stream().filter(l -> l.contains("short_lived_leaf_alpha")).mapToLong(ProfilerIT::count)
                .sum();
        long beta = lines.stream().filter(l -> l.contains("short_lived_leaf_beta")).mapToLong(ProfilerIT::count)
                .sum();
        // Both leaves run the same loop count per call (their instructions cost about 2:1 here): each should hold a
        // fair share of the two, neither all of it. (Not of the total: under emulation exec and the dynamic loader
        // take most of a child's samples.)
        // On failure: the collector's counts say whether the child's map was missing, and the stacks show how.
        String why = "alpha " + alpha + ", beta " + beta + " of " + total + "; collector " + p.metadata().collector()
                + " " + p.metadata().counters() + "; stacks:\n"
                + String.join("\n", lines.subList(0, Math.min(10, lines.size())));
        assertTrue(alpha + beta >= 100, why);
        assertTrue(alpha > (alpha + beta) / 5 && beta > (alpha + beta) / 5, why);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(WORKLOAD
                + ";_start;short_lived_start;short_lived_child;short_lived_middle;short_lived_leaf_")),
                "no complete root-first stack in:\n" + String.join("\n", lines.subList(0, Math.min(10, lines.size()))));
    }

    @Test
    void kernelFramesAreNamed() throws Exception {
        // dd copying single bytes spends its time in read/write system calls.
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000")
                .redirectErrorStream(true).start();
        try {
            Profile p = profiler.profile(new ProfileRequest(Set.of((int) dd.pid()), 0, TimeScale.of(Duration.ofSeconds(2)), 499,
                    null, true), x -> { });
            List<Frame> kernel = p.stacks().stream().flatMap(s -> s.frames().stream())
                    .filter(f -> f.kind() == FrameKind.KERNEL).toList();
            assertTrue(kernel.size() >= 10, "only " + kernel.size() + " kernel frames");
            long named = kernel.stream().filter(Frame::resolved).count();
            assertTrue(named >= kernel.size() * 0.95, named + " of " + kernel.size() + " kernel frames named");
            Set<String> names = kernel.stream().map(Frame::label).collect(Collectors.toSet());
            assertTrue(names.stream().anyMatch(n -> n.contains("read") || n.contains("write")),
                    "no read/write in the kernel frames: " + names);
        } finally {
            dd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatDoesNotExistEndsAtOnceWithAValidEmptyProfile() throws Exception {
        int pid = unusedPid();
        long t0 = System.nanoTime();
        Profile p = profiler.profile(new ProfileRequest(Set.of(pid), 0, TimeScale.of(Duration.ofSeconds(30)), 99,
                null, true),
                x -> { });
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(TimeScale.millis(10_000)),
                "it waited for the full duration");
        assertEquals(0, p.metadata().samples());
        assertEquals(1L, p.metadata().counters().get("pids.missing"));
        for (ProfileExporter e : exporters) {
            Path f = Files.createTempFile("empty", e.extension());
            ProfileFiles.write(p, e, f);
            // An empty folded file is the empty profile in that format; pprof and SVG always have a header.
            assertTrue(Files.size(f) > 0 || e.format().equals("folded"), e.format() + " wrote nothing");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            Files.delete(f);
        }
    }

    @Test
    void aProcessThatExitsAtOnceEndsWithAValidProfile() throws Exception {
        Process quick = new ProcessBuilder("/bin/true").start();
        int pid = (int) quick.pid();
        Profile p = profiler.profile(new ProfileRequest(Set.of(pid), 0, TimeScale.of(Duration.ofSeconds(30)), 99,
                null, true),
                x -> { });
        assertTrue(quick.waitFor(TimeScale.millis(1000), TimeUnit.MILLISECONDS));
        assertTrue(p.metadata().duration().toMillis() < TimeScale.millis(10_000), "it waited for the full duration");
        assertTrue(export(p, ".svg").contains("<svg"));
    }

    @Test
    void thePprofFileIsReadByGoToolPprof() throws Exception {
        Profile p = profileWorkloadProfile(null, LIVING_CHILDREN, LIVING_CHILD_MILLIS, 499);
        Path file = Files.createTempFile("mapsnap", ".pb.gz");
        try {
            ProfileFiles.write(p, exporter(".pb.gz"), file);
            Process go;
            try {
                go = new ProcessBuilder("go", "tool", "pprof", "-top", file.toString()).redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                Assumptions.abort("go is not installed (./mapsnap test installs golang-go): " + e.getMessage());
                return;
            }
            String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(go.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, go.exitValue(), out);
            assertTrue(out.contains("short_lived_leaf_alpha") && out.contains("short_lived_leaf_beta"), out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * User frames of the workload's samples outside execve (see {@link OwnCodeShare}: inside it the user registers
     * are the old image's while the mm is already the new one, so no map of either names them).
     *
     * @param inExecve user frames (times their samples) left out for that, named or not
     * @param unnamed the unnamed user frames counted, by module, most first ("no map": the address lay in no mapping
     *        known for its process), and the profile's frame and snapshot counters: what a failure shows
     */
    private record Share(long named, long total, long processes, long inExecve, String unnamed) {
        double percent() {
            return total == 0 ? 0 : 100.0 * named / total;
        }
    }

    private Share profileWorkload(Profiler using, String collector) throws Exception {
        Profile p = profileWorkloadProfile(using, collector, 30, 100, 499);
        List<ProfileStack> children = p.stacks().stream().filter(s -> s.comm().equals(WORKLOAD)).toList();
        long total = 0;
        long named = 0;
        Map<String, Long> unnamedByModule = new HashMap<>();
        Map<Integer, Long> unnamedByProcess = new HashMap<>();
        Map<Integer, Long> framesByProcess = new HashMap<>();
        long inExecve = 0;
        for (ProfileStack s : children) {
            if (OwnCodeShare.inExecve(s.frames())) {
                inExecve += s.count() * s.frames().stream().filter(f -> f.kind() != FrameKind.KERNEL).count();
                continue;
            }
            for (Frame f : s.frames()) {
                if (f.kind() != FrameKind.KERNEL) {
                    total += s.count();
                    framesByProcess.merge(s.tgid(), s.count(), Long::sum);
                    if (f.resolved()) {
                        named += s.count();
                    } else {
                        unnamedByModule.merge(f.module() == null ? "no map" : f.module(), s.count(), Long::sum);
                        unnamedByProcess.merge(s.tgid(), s.count(), Long::sum);
                    }
                }
            }
        }
        long processes = children.stream().map(ProfileStack::tgid).distinct().count();
        String unnamed = unnamedByModule.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", "[", "]"))
                + "; by process (unnamed of all) " + unnamedByProcess.entrySet().stream()
                        .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed()).limit(4)
                        .map(e -> e.getKey() + ": " + e.getValue() + " of " + framesByProcess.get(e.getKey()))
                        .collect(Collectors.joining(", ", "[", "]"))
                + "; counters " + new TreeMap<>(p.metadata().counters()).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("frames.") || e.getKey().startsWith("collector.")
                                || e.getKey().startsWith("processes.") || e.getKey().startsWith("samples.") || e.getKey().startsWith("snapshots."))
                        .toList();
        return new Share(named, total, processes, inExecve, unnamed);
    }

    /** Profiles every process while the workload runs {@code children} children of {@code childMillis} each. */
    private Profile profileWorkloadProfile(String collector, int children, int childMillis, int hz) throws Exception {
        return profileWorkloadProfile(profiler, collector, children, childMillis, hz);
    }

    /** As above, with {@code using}. */
    private Profile profileWorkloadProfile(Profiler using, String collector, int children, int childMillis, int hz)
            throws Exception {
        return profileWorkloadProfile(using, collector, children, childMillis, hz,
                Path.of(System.getProperty("mapsnap.workloads"), WORKLOAD), () -> { });
    }

    /** As above, running the workload from {@code exe}; {@code afterExit} runs once it is gone, while sampling goes on. */
    private Profile profileWorkloadProfile(Profiler using, String collector, int children, int childMillis, int hz,
            Path exe, ThrowingRunnable afterExit) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Profile> profile = ex.submit(() -> using.profile(new ProfileRequest(Set.of(), 0,
                    TimeScale.of(Duration.ofMillis(children * (long) childMillis + 2500)), hz, collector, true),
                    x -> { }));
            Thread.sleep(TimeScale.millis(1000)); // sampling and the collector are attached
            Process w = new ProcessBuilder(exe.toString(), Integer.toString(children), Integer.toString(childMillis))
                    .redirectErrorStream(true).start();
            String out = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(w.waitFor(TimeScale.millis(60_000), TimeUnit.MILLISECONDS));
            assertTrue(out.startsWith("done " + children), out);
            // The children were born and gone while sampling went on: the profile is still running now.
            System.out.println(WORKLOAD + ": " + out);
            afterExit.run();
            assertFalse(profile.isDone(), "the profile ended before the workload's children did: " + out);
            return profile.get(TimeScale.millis(60_000), TimeUnit.MILLISECONDS);
        } finally {
            ex.shutdownNow();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The profiler registered now (the injected one is gone once its bundle restarted). */
    private Profiler currentProfiler() throws Exception {
        ServiceTracker<Profiler, Profiler> t = new ServiceTracker<>(context, Profiler.class, null);
        t.open();
        // Left open: closing the tracker would release the service while the test still uses it.
        Profiler p = t.waitForService(TimeScale.millis(15_000));
        assertTrue(p != null, "no profiler registered");
        return p;
    }

    /** The sampler variant that runs here, as its status says. */
    private String samplerVariant() {
        return RunnableComponent.statuses(context, ComponentKind.SAMPLER).stream()
                .flatMap(st -> st.running().stream()).map(v -> v.variant()).findFirst()
                .orElseThrow(() -> new AssertionError("no sampler runs here: "
                        + RunnableComponent.statuses(context, ComponentKind.SAMPLER)));
    }

    /** The best-ranked collector that runs here, among {@code names} (null: any). */
    private Optional<ComponentStatus> bestRunning(Set<String> names) {
        return RunnableComponent.bestRunning(statuses().stream()
                .filter(s -> names == null || names.contains(s.name())).toList());
    }

    private List<ComponentStatus> statuses() {
        return RunnableComponent.statuses(context, ComponentKind.COLLECTOR);
    }

    private String export(Profile p, String extension) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter(extension).export(p, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private ProfileExporter exporter(String extension) {
        return exporters.stream().filter(e -> e.extension().equals(extension)).findFirst()
                .orElseThrow(() -> new AssertionError("no exporter for " + extension + ": "
                        + exporters.stream().map(ProfileExporter::extension).toList()));
    }

    private static long count(String foldedLine) {
        return Long.parseLong(foldedLine.substring(foldedLine.lastIndexOf(' ') + 1));
    }

    private static String head(String s) {
        return s.lines().limit(20).collect(Collectors.joining("\n"));
    }

    private static int unusedPid() throws IOException {
        // Not Files.readString: it reads sysctl files one byte first, and integer sysctls answer a read at a
        // non-zero offset with EOF ("3" for 32768).
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).strip());
        for (int pid = max - 1; pid > 1; pid--) {
            if (!Files.exists(Path.of("/proc/" + pid))) {
                return pid;
            }
        }
        throw new IllegalStateException("no unused pid");
    }
}
