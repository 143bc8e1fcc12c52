package io.mapsnap.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.osgi.service.component.annotations.Component;

import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileMetadata;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;

/**
 * Writes pprof's profile.proto, gzipped as pprof expects on disk, for {@code go tool pprof}, Pyroscope and Grafana.
 * Two sample types: {@code samples/count} and {@code cpu/nanoseconds} (count × sampling period); each sample carries
 * the process as labels {@code pid} (a number) and {@code comm} (a string).
 */
@Component(property = ProfileExporter.FORMAT_PROPERTY + "=" + PprofExporter.FORMAT)
public final class PprofExporter implements ProfileExporter {
    static final String FORMAT = "pprof";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String extension() {
        return ".pb.gz";
    }

    @Override
    public void export(Profile profile, OutputStream out) throws IOException {
        ProfileMetadata metadata = profile.metadata();
        long period = metadata.periodNanos();
        PprofTables tables = new PprofTables();
        PprofStringTable strings = tables.strings();

        ProfileProtoWriter.ValueType count = new ProfileProtoWriter.ValueType(strings.index("samples"),
                strings.index("count"));
        ProfileProtoWriter.ValueType cpu = new ProfileProtoWriter.ValueType(strings.index("cpu"),
                strings.index("nanoseconds"));
        long pidKey = strings.index("pid");
        long commKey = strings.index("comm");

        List<ProfileProtoWriter.Sample> samples = new ArrayList<>(profile.stacks().size());
        for (ProfileStack stack : profile.stacks()) {
            List<Frame> rootFirst = stack.frames();
            // Interned root first so the first mapping is the first process's outermost module — usually its
            // executable, which pprof takes mapping[0] to be — and stored leaf first, as Sample.location_id wants.
            long[] leafFirst = new long[rootFirst.size()];
            for (int i = 0; i < leafFirst.length; i++) {
                leafFirst[leafFirst.length - 1 - i] = tables.locationId(rootFirst.get(i));
            }
            samples.add(new ProfileProtoWriter.Sample(leafFirst,
                    new long[] { stack.count(), Math.multiplyExact(stack.count(), period) },
                    List.of(new ProfileProtoWriter.Label(pidKey, 0, stack.tgid()),
                            new ProfileProtoWriter.Label(commKey, strings.index(comm(stack)), 0))));
        }

        List<Long> comments = List.of(
                strings.index("collector: " + metadata.collector()),
                strings.index("kernel: " + metadata.kernelRelease()),
                strings.index("lost samples: " + metadata.lostSamples()),
                strings.index("event: " + metadata.event() + " at " + metadata.frequencyHz() + " Hz"),
                strings.index("processes: " + metadata.processes() + " (" + metadata.exitedProcesses()
                        + " exited during the profile)"));
        ProfileProtoWriter.Header header = new ProfileProtoWriter.Header(List.of(count, cpu),
                metadata.start().getEpochSecond() * 1_000_000_000L + metadata.start().getNano(),
                metadata.duration().toNanos(), cpu, period, comments, cpu.type());

        // Closing the gzip stream writes its trailer and frees its native deflater; the caller closes out.
        try (GZIPOutputStream gzip = new GZIPOutputStream(new NonClosingOutputStream(out), 64 * 1024)) {
            ProfileProtoWriter.write(header, samples, tables, gzip);
        }
    }

    /**
     * An empty name would be string index 0, and pprof's decoder drops a label whose string is index 0 and whose
     * number is 0 (so it also drops {@code pid} 0, the idle task; its {@code comm}, swapper/N, still names it).
     */
    private static String comm(ProfileStack stack) {
        return stack.comm().isEmpty() ? FoldedName.UNKNOWN : stack.comm();
    }
}
