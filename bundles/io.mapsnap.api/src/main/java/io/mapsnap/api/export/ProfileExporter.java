package io.mapsnap.api.export;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;

import io.mapsnap.api.profile.Profile;

/**
 * Writes a profile in one file format. Registered with {@link #FORMAT_PROPERTY}; callers choose by the output
 * file's name ({@link #extension()}).
 */
@ConsumerType
public interface ProfileExporter {
    /** Service property naming the format. */
    String FORMAT_PROPERTY = "mapsnap.export.format";

    /** The format's name: {@code pprof}, {@code folded}, {@code svg}. */
    String format();

    /** The file name ending that selects this format, with its dot: {@code .pb.gz}, {@code .folded}, {@code .svg}. */
    String extension();

    /** Writes {@code profile} to {@code out} (which the caller closes). */
    void export(Profile profile, OutputStream out) throws IOException;
}
