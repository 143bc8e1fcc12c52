package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FMODE_BACKING bit of a kernel release. It is a macro, so BTF cannot tell it: backing files appeared in
 * 6.6 at bit 25 (0x2000000) and the fanotify pre-content work of 6.14 moved the flag to bit 24.
 */
public final class BackingFileMode {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private BackingFileMode() {
    }

    /** The flag for {@code release} (as uname -r prints it), or 0 before 6.6 and for unparsable releases. */
    public static int forRelease(String release) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            return 0;
        }
        int version = Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2));
        if (version >= 6014) {
            return 1 << 24;
        }
        return version >= 6006 ? 1 << 25 : 0;
    }

    /** The flag for the running kernel. */
    public static int running() {
        try {
            return forRelease(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (IOException e) {
            return 0;
        }
    }
}
