package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where this process sees each filesystem mounted (/proc/self/mountinfo), to place a path that runs only up to its
 * filesystem's root — what the legacy walkers' dentry names give, since 5.10's verifier cannot afford the mount
 * crossing — under the mount point that shows it, as /proc/PID/maps would print it: {@code /work/x} instead of
 * {@code /x} for a file on a filesystem mounted at {@code /work}.
 */
final class MountTable {
    /** One mount: the filesystem (device), the directory of it that is mounted, and where. */
    record Mount(int major, int minor, String root, String mountPoint) {
    }

    private static final long RELOAD_NANOS = 1_000_000_000L;
    private static volatile MountTable current;

    private final List<Mount> mounts;
    private final long readAt;

    MountTable(List<Mount> mounts, long readAt) {
        this.mounts = List.copyOf(mounts);
        this.readAt = readAt;
    }

    /**
     * {@code path} (from the root of the filesystem on device major:minor) as this process sees it, read from the
     * current mount table; unchanged when no mount of that filesystem shows it. A device the table does not know
     * (mounted since) makes it read the table again, at most once a second.
     */
    static String place(int major, int minor, String path) {
        MountTable t = current;
        if (t == null || (!t.knows(major, minor) && System.nanoTime() - t.readAt > RELOAD_NANOS)) {
            t = read(Path.of("/proc/self/mountinfo"));
            current = t;
        }
        return t.placed(major, minor, path);
    }

    static MountTable read(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo), System.nanoTime());
        } catch (IOException e) {
            return new MountTable(List.of(), System.nanoTime()); // no table: paths stay as the walker gave them
        }
    }

    /** mountinfo(5): ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS. */
    static MountTable parse(String mountinfo, long readAt) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            int colon = f[2].indexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                mounts.add(new Mount(Integer.parseInt(f[2].substring(0, colon)),
                        Integer.parseInt(f[2].substring(colon + 1)), unescape(f[3]), unescape(f[4])));
            } catch (NumberFormatException e) {
                // Not a mount line: skipped, as a reader of a hostile file must.
            }
        }
        return new MountTable(mounts, readAt);
    }

    boolean knows(int major, int minor) {
        return mounts.stream().anyMatch(m -> m.major() == major && m.minor() == minor);
    }

    /**
     * The path under the mount of its filesystem whose mounted directory holds it most closely (the longest root);
     * of equals, the first mounted. A bind mount of a subdirectory shows only what lies below that directory.
     */
    String placed(int major, int minor, String path) {
        Mount best = null;
        for (Mount m : mounts) {
            if (m.major() == major && m.minor() == minor && under(path, m.root())
                    && (best == null || m.root().length() > best.root().length())) {
                best = m;
            }
        }
        if (best == null) {
            return path;
        }
        // What lies below the mounted directory: "" for the directory itself, else "/..."
        String rest = best.root().equals("/") ? (path.equals("/") ? "" : path) : path.substring(best.root().length());
        if (best.mountPoint().equals("/")) {
            return rest.isEmpty() ? "/" : rest;
        }
        return best.mountPoint() + rest;
    }

    private static boolean under(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    /** mountinfo escapes space, tab, newline and backslash as \\ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
