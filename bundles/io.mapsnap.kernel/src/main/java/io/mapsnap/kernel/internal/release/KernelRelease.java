package io.mapsnap.kernel.internal.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release string such as {@code 6.18.44-fc-v782} and its numeric major.minor.patch. */
public record KernelRelease(String text, int major, int minor, int patch) {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** The running kernel's release, from {@code procRoot}/sys/kernel/osrelease. */
    public static String read(Path procRoot) {
        try {
            return Files.readString(procRoot.resolve("sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel release from " + procRoot, e);
        }
    }

    /** Parses {@code text}; anything that does not start with major.minor is rejected. */
    public static KernelRelease parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release: '" + text + "'");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new KernelRelease(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
    }

    /** Whether this release is {@code wantMajor.wantMinor} or newer. */
    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
}
