package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FMODE_BACKING bit of the running kernel. It is a macro, so BTF cannot tell it: backing files appeared in
 * 6.6 at bit 25 (0x2000000), and the fsnotify rework of 6.14 moved the flag to bit 24 — a rework stable
 * kernels took too (Debian's 6.12.118 has bit 24 set on an overlayfs-mapped file, f_mode 0x254a801d). The
 * rework added file_set_fsnotify_mode(), so its presence in kallsyms marks the new layout before 6.14.
 */
public final class BackingFileMode {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private BackingFileMode() {
    }

    /**
     * The flag for {@code release} (as uname -r prints it), or 0 before 6.6 and for unparsable releases;
     * {@code fsnotifyReworked} says the kernel has the 6.14 fsnotify rework (possibly backported).
     */
    public static int forRelease(String release, boolean fsnotifyReworked) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            return 0;
        }
        int version = Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2));
        if (version >= 6014 || (version >= 6006 && fsnotifyReworked)) {
            return 1 << 24;
        }
        return version >= 6006 ? 1 << 25 : 0;
    }

    /** The flag for the running kernel. */
    public static int running() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            boolean reworked = KernelSymbolAddress.of(Path.of("/proc/kallsyms"), "file_set_fsnotify_mode").isPresent();
            return forRelease(release, reworked);
        } catch (IOException e) {
            return 0;
        }
    }
}
