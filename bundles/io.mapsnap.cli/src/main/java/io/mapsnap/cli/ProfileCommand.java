package io.mapsnap.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.export.ProfileFiles;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileMetadata;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.profile.Profiler;
import io.mapsnap.api.profile.ProfilerException;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * {@code mapsnap profile ... --output FILE}: samples, shows progress on stderr, writes each output file in the format
 * its name asks for (0600), and ends with a summary. A target that does not exist or exits at once still gives a
 * valid, empty profile and says why it is empty.
 */
final class ProfileCommand implements Subcommand {
    private static final long WAIT_MILLIS = 10_000;

    private final BundleContext context;

    ProfileCommand(BundleContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public String synopsis() {
        return ProfileOptions.SYNOPSIS;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        ProfileOptions options = ProfileOptions.parse(args);
        Map<Path, ProfileExporter> writers = exportersFor(options.outputs());
        ServiceReference<Profiler> ref = await();
        Profiler profiler = context.getService(ref);
        try {
            ProgressLine progress = new ProgressLine(err, System.console() != null);
            err.println("mapsnap: sampling " + target(options) + " at " + options.request().frequencyHz()
                    + " Hz for " + options.request().duration().toMillis() / 1000.0 + " s");
            Profile profile;
            try {
                profile = profiler.profile(options.request(), progress::show);
            } catch (ProfilerException e) {
                progress.end();
                throw e;
            }
            progress.end();
            if (options.request().collector() == null) {
                ComponentStatuses.skippedFor(ComponentStatuses.of(context, ComponentKind.COLLECTOR),
                        profile.metadata().collector()).forEach(line -> err.println("mapsnap: collector " + line));
            }
            // The sampler runs either way; a refused find-vma variant loses the in-sample lookups, so say why.
            ComponentStatuses.of(context, ComponentKind.SAMPLER).forEach(sampler -> ComponentStatuses
                    .refusedVariantsOf(sampler).forEach(line -> err.println("mapsnap: sampler " + line)));
            for (Map.Entry<Path, ProfileExporter> w : writers.entrySet()) {
                long bytes = ProfileFiles.write(profile, w.getValue(), w.getKey());
                err.printf("mapsnap: wrote %s (%s, %,d bytes, mode 0600)%n", w.getKey(), w.getValue().format(),
                        bytes);
            }
            summary(profile, options, err);
            return 0;
        } finally {
            context.ungetService(ref);
        }
    }

    private static String target(ProfileOptions o) {
        String who = o.request().pids().isEmpty() ? "every process" : "process(es) " + o.request().pids();
        return who + (o.request().cgroupId() != 0 ? " in cgroup " + o.request().cgroupId() : "");
    }

    private static void summary(Profile p, ProfileOptions options, PrintStream err) {
        ProfileMetadata m = p.metadata();
        long userFrames = 0;
        long resolved = 0;
        for (ProfileStack s : p.stacks()) {
            for (Frame f : s.frames()) {
                if (f.kind() != FrameKind.KERNEL) {
                    userFrames += s.count();
                    resolved += f.resolved() ? s.count() : 0;
                }
            }
        }
        err.printf("mapsnap: %,d samples (%,d lost) of %d processes, %d of them exited during the profile "
                + "(%d captured at exit); %d distinct stacks; collector %s%n", m.samples(), m.lostSamples(),
                m.processes(), m.exitedProcesses(), m.counters().getOrDefault("processes.exit-captured", 0L),
                p.stacks().size(), m.collector());
        long lostMapRecords = m.counters().getOrDefault("collector.lost-records", 0L);
        long incompleteMaps = m.counters().getOrDefault("collector.incomplete", 0L);
        if (lostMapRecords > 0 || incompleteMaps > 0) {
            err.printf("mapsnap: the collector's ring buffer was full: %,d map records lost, %,d maps incomplete%n",
                    lostMapRecords, incompleteMaps);
        }
        if (userFrames > 0) {
            err.printf("mapsnap: %.1f %% of user frames named (%,d of %,d)%n", 100.0 * resolved / userFrames, resolved,
                    userFrames);
            // Where frames found their mapping: in the sample itself (find-vma sampler), or a collector's snapshot.
            Map<String, Long> c = m.counters();
            err.printf("mapsnap: user frames' mappings: %,d resolved in the sample, %,d from the collector's maps,"
                    + " %,d in none%s%n", c.getOrDefault("frames.user.in-sample", 0L),
                    c.getOrDefault("frames.user.from-collector", 0L), c.getOrDefault("frames.user.without-map", 0L),
                    c.containsKey("sampler.find-vma.lookups") ? String.format(" (%,d in-sample lookups, %,d busy)",
                            c.get("sampler.find-vma.lookups"), c.getOrDefault("sampler.find-vma.lookups-busy", 0L))
                            : " (sampler without in-sample lookups)");
            if (c.containsKey("sampler.task-work.walks")) {
                // The task-work sampler: whole walks its samples deferred into the sampled tasks.
                err.printf("mapsnap: %,d user frames in walks the samples deferred into their tasks (%,d walks queued,"
                        + " %,d done, %,d could not be queued)%n", c.getOrDefault("frames.user.from-deferred-walk", 0L),
                        c.get("sampler.task-work.queued"), c.get("sampler.task-work.walks"),
                        c.get("sampler.task-work.queue-failed"));
            }
            if (c.containsKey("frames.user.build-id")) {
                // The build-ID sampler: frames the kernel gave as (build ID, offset) need no mapping at all.
                err.printf("mapsnap: user frames with a build ID from the kernel: %,d (%,d of them with no file"
                        + " here: left as build ID and offset); the counts above are of the others%n",
                        c.get("frames.user.build-id"), c.getOrDefault("frames.user.build-id-without-file", 0L));
            }
        }
        if (m.samples() == 0) {
            long missing = m.counters().getOrDefault("pids.missing", 0L);
            if (missing > 0 && missing == options.request().pids().size()) {
                err.println("mapsnap: no samples: no process " + options.request().pids()
                        + " exists; the profile is empty");
            } else if (!options.request().pids().isEmpty()) {
                err.println("mapsnap: no samples: " + options.request().pids()
                        + " did not run on a CPU while sampled (idle, or exited at once); the profile is empty");
            } else {
                err.println("mapsnap: no samples: nothing ran on a CPU while sampled; the profile is empty");
            }
        }
    }

    private Map<Path, ProfileExporter> exportersFor(List<Path> outputs) throws UsageException {
        List<ProfileExporter> exporters = new ArrayList<>();
        try {
            Collection<ServiceReference<ProfileExporter>> refs = context.getServiceReferences(ProfileExporter.class,
                    null);
            for (ServiceReference<ProfileExporter> r : refs) {
                ProfileExporter e = context.getService(r);
                if (e != null) {
                    exporters.add(e);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<Path, ProfileExporter> chosen = new LinkedHashMap<>();
        for (Path out : outputs) {
            ProfileExporter e = ProfileFiles.exporterFor(exporters, out).orElseThrow(() -> new UsageException(
                    "profile: no exporter writes '" + out.getFileName() + "'; file names may end in "
                            + exporters.stream().map(ProfileExporter::extension).sorted().toList()));
            chosen.put(out, e);
        }
        return chosen;
    }

    private ServiceReference<Profiler> await() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            ServiceReference<Profiler> ref = context.getServiceReference(Profiler.class);
            if (ref != null) {
                return ref;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the profiler is not active: it needs the symbolizer bundle and a "
                        + "map collector (see ./mapsnap caps for what this kernel offers)");
            }
            Thread.sleep(50);
        }
    }
}
