package io.mapsnap.kernel.vma;

import io.mapsnap.kernel.internal.release.KernelRelease;

/**
 * The FMODE_BACKING bit of a kernel. It is a macro, so BTF cannot tell it: backing files appeared in
 * 6.6 at bit 25 (0x2000000), and the fsnotify rework of 6.14 moved the flag to bit 24 — a rework stable
 * kernels took too (Debian's 6.12.118 has bit 24 set on an overlayfs-mapped file, f_mode 0x254a801d). The
 * rework added file_set_fsnotify_mode(), so its presence in kallsyms marks the new layout before 6.14
 * ({@link WalkerKernelFacts} looks it up).
 */
public final class BackingFileMode {
    private BackingFileMode() {
    }

    /**
     * The flag for {@code release} (as uname -r prints it), or 0 before 6.6 and for unparsable releases;
     * {@code fsnotifyReworked} says the kernel has the 6.14 fsnotify rework (possibly backported).
     */
    public static int forRelease(String release, boolean fsnotifyReworked) {
        KernelRelease r;
        try {
            r = KernelRelease.parse(release);
        } catch (IllegalArgumentException e) {
            return 0;
        }
        if (r.atLeast(6, 14) || (r.atLeast(6, 6) && fsnotifyReworked)) {
            return 1 << 24;
        }
        return r.atLeast(6, 6) ? 1 << 25 : 0;
    }
}
