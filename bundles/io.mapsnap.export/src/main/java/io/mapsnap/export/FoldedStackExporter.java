package io.mapsnap.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Component;

import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;

/**
 * Brendan Gregg's folded stacks, as flamegraph.pl and speedscope read them: one line per distinct stack,
 * {@code comm;outermost;...;leaf count}. Like bcc's {@code profile -f}, a line starts at the process name, then the
 * user frames from the outermost, then the kernel frames; kernel frames end in {@code _[k]} and JIT frames in
 * {@code _[j]} as stackcollapse-perf.pl's {@code --kernel}/{@code --jit} write them, so {@code flamegraph.pl
 * --color=java} colors them apart. Stacks that read alike (same process name and names, other pids or addresses)
 * become one line; lines are sorted, so equal profiles give equal files.
 */
@Component(property = ProfileExporter.FORMAT_PROPERTY + "=" + FoldedStackExporter.FORMAT)
public final class FoldedStackExporter implements ProfileExporter {
    static final String FORMAT = "folded";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String extension() {
        return ".folded";
    }

    @Override
    public void export(Profile profile, OutputStream out) throws IOException {
        Map<String, Long> lines = new TreeMap<>();
        for (ProfileStack stack : profile.stacks()) {
            lines.merge(line(stack), stack.count(), Long::sum);
        }
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (Map.Entry<String, Long> line : lines.entrySet()) {
            writer.write(line.getKey());
            writer.write(' ');
            writer.write(Long.toString(line.getValue()));
            writer.write('\n');
        }
        writer.flush(); // the caller closes out
    }

    /** The stack without its count; {@link ProfileStack#frames()} is already root first, user before kernel. */
    static String line(ProfileStack stack) {
        StringBuilder line = new StringBuilder(FoldedName.of(stack.comm()));
        for (Frame frame : stack.frames()) {
            line.append(';').append(FoldedName.of(frame.label()));
            switch (frame.kind()) {
                case KERNEL -> line.append("_[k]");
                case JIT -> line.append("_[j]");
                case USER -> {
                }
            }
        }
        return line.toString();
    }
}
