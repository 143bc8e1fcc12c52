package io.mapsnap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.mapsnap.api.profile.ProfileRequest;

/**
 * The arguments of {@code mapsnap profile}, parsed and checked before anything is loaded into the kernel.
 *
 * @param request what to sample
 * @param outputs the files to write (their names choose the formats)
 */
record ProfileOptions(ProfileRequest request, List<Path> outputs) {
    static final String SYNOPSIS = "profile [--pid PID]... [--all] [--duration S] [--frequency HZ] [--source NAME]"
            + " [--cgroup PATH] [--no-kernel] --output FILE...";

    static ProfileOptions parse(List<String> args) throws UsageException {
        Set<Integer> pids = new LinkedHashSet<>();
        boolean all = false;
        Duration duration = Duration.ofSeconds(10);
        int frequency = ProfileRequest.DEFAULT_FREQUENCY_HZ;
        String collector = null;
        long cgroup = 0;
        boolean kernel = true;
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--all" -> all = true;
                case "--no-kernel" -> kernel = false;
                case "--pid", "-p" -> {
                    for (String p : value(args, ++i, a).split(",")) {
                        pids.add(MapsCommand.parsePid(p.strip()));
                    }
                }
                case "--duration", "-d" -> duration = duration(value(args, ++i, a));
                case "--frequency", "-F" -> frequency = frequency(value(args, ++i, a));
                case "--source", "--collector" -> collector = value(args, ++i, a);
                case "--cgroup" -> cgroup = cgroupId(value(args, ++i, a));
                case "--output", "-o" -> outputs.add(Path.of(value(args, ++i, a)));
                default -> throw new UsageException("profile: unexpected argument '" + a + "'");
            }
        }
        if (all && !pids.isEmpty()) {
            throw new UsageException("profile: --all and --pid exclude each other");
        }
        if (outputs.isEmpty()) {
            throw new UsageException("profile: where to? --output FILE (.pb.gz, .folded or .svg)");
        }
        try {
            return new ProfileOptions(new ProfileRequest(pids, cgroup, duration, frequency, collector, kernel),
                    outputs);
        } catch (IllegalArgumentException e) {
            throw new UsageException("profile: " + e.getMessage());
        }
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException("profile: " + option + " needs a value");
        }
        return args.get(i);
    }

    /** Seconds, with a fraction if wanted: {@code 10}, {@code 2.5}. */
    static Duration duration(String text) throws UsageException {
        try {
            double seconds = Double.parseDouble(text);
            if (seconds > 0 && seconds <= 7 * 24 * 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("profile: not a duration in seconds: '" + text + "'");
    }

    private static int frequency(String text) throws UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("profile: not a frequency in Hz: '" + text + "'");
        }
    }

    /** A cgroup v2 directory (absolute, or relative to /sys/fs/cgroup) to its id, the directory's inode number. */
    private static long cgroupId(String path) throws UsageException {
        Path dir = path.startsWith("/") ? Path.of(path) : Path.of("/sys/fs/cgroup").resolve(path);
        try {
            if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("cgroup.procs"))) {
                throw new UsageException("profile: not a cgroup v2 directory: " + dir);
            }
            return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new UsageException("profile: cannot read cgroup " + dir + ": " + e.getMessage());
        }
    }
}
