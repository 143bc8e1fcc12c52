package io.mapsnap.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;

import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.profile.Profile;

/**
 * An interactive flame graph in one SVG file ({@link FlameGraphSvg}): hover for a frame's samples and share, click to
 * zoom, Ctrl+F or '/' to search, Escape to reset.
 */
@Component(property = ProfileExporter.FORMAT_PROPERTY + "=" + FlameGraphSvgExporter.FORMAT)
public final class FlameGraphSvgExporter implements ProfileExporter {
    static final String FORMAT = "svg";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String extension() {
        return ".svg";
    }

    @Override
    public void export(Profile profile, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        FlameGraphSvg.write(profile, writer);
        writer.flush(); // the caller closes out
    }
}
