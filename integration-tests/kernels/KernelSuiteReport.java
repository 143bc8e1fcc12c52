/*
 * Judges one guest's results (written by guest-suite) against expectations/<series>.properties and
 * writes them as JUnit XML, so ./mapsnap test counts them with every other suite.
 * Keys that are not capabilities: best-source (the `maps` source), collector (the collector `profile`
 * must choose) and exited-frames-named-min (the least share, in percent, of the short_lived workload's
 * samples in its own code that the profile resolves although every child has exited by then; see
 * exitedFramesNamed).
 * Usage: java KernelSuiteReport.java SERIES RESULTS_DIR EXPECTATIONS_DIR REPORT_DIR RUN_EXIT_CODE
 * Prints one matrix row: "SERIES  passed failed skipped". Exits 1 when a check failed.
 */
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class KernelSuiteReport {
    record Check(String name, String failure) {
    }

    /** Expectation keys that are not capability keys. */
    static final Set<String> NOT_CAPABILITIES = Set.of("best-source", "collector", "exited-frames-named-min");


    public static void main(String[] args) throws Exception {
        String series = args[0];
        Path results = Path.of(args[1]);
        Properties expected = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[2], series + ".properties"))) {
            expected.load(in);
        }
        Path reports = Path.of(args[3]);
        int runExit = Integer.parseInt(args[4]);
        List<Check> checks = new ArrayList<>();

        checks.add(new Check("guestBoots", runExit == 124 ? "kernel package missing (exit 124)"
                : runExit == 125 ? "guest did not boot or did not finish (exit 125)"
                : runExit != 0 ? "guest command failed with " + runExit : null));
        String caps = read(results.resolve("caps.out"));
        checks.add(new Check("capsRuns", rc(results, "caps") == 0 && caps.contains("\"schema\":\"mapsnap.caps/1\"")
                ? null : "caps --json failed: " + tail(read(results.resolve("caps.err")))));
        for (String key : expected.stringPropertyNames().stream().sorted().toList()) {
            if (NOT_CAPABILITIES.contains(key)) {
                continue;
            }
            boolean want = expected.getProperty(key).trim().equals("yes");
            Matcher m = Pattern.compile("\"key\":\"" + Pattern.quote(key)
                    + "\",\"available\":(true|false),\"method\":\"[a-z]+\",\"condition\":\"[^\"]*\",\"evidence\":\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(caps);
            String failure;
            if (!m.find()) {
                failure = "no result for " + key;
            } else {
                boolean got = m.group(1).equals("true");
                failure = got == want ? null : "expected " + (want ? "yes" : "no") + ", probe says "
                        + (got ? "yes" : "no") + ": " + m.group(2);
            }
            checks.add(new Check("capability " + key, failure));
        }
        String mapsErr = read(results.resolve("maps.err"));
        String wantSource = expected.getProperty("best-source").trim();
        checks.add(new Check("bestSourceIs " + wantSource, mapsErr.contains("from source " + wantSource)
                ? null : "maps said: " + tail(mapsErr)));
        String maps = read(results.resolve("maps.out"));
        String proc = read(results.resolve("proc.txt"));
        checks.add(new Check("mapsEqualsProc", rc(results, "maps") == 0 && !maps.isEmpty() && maps.equals(proc)
                ? null : "snapshot differs from /proc/PID/maps (" + maps.lines().count() + " vs "
                        + proc.lines().count() + " lines): " + firstDifference(proc, maps)));

        String profileErr = read(results.resolve("profile.err"));
        String wantCollector = expected.getProperty("collector", "").trim();
        Matcher chosen = Pattern.compile("; collector (\\S+)").matcher(profileErr);
        String collector = chosen.find() ? chosen.group(1) : null;
        checks.add(new Check("profileRuns", rc(results, "profile") == 0 ? null
                : "profile exited with " + rc(results, "profile") + ": " + tail(profileErr)));
        checks.add(new Check("workloadRuns", rc(results, "workload") == 0
                && read(results.resolve("workload.out")).startsWith("done 20 ") ? null
                : "short_lived 20 100: rc " + rc(results, "workload") + ", " + tail(read(results.resolve("workload.out")))
                        + " " + tail(read(results.resolve("workload.err")))));
        checks.add(new Check("collectorIs " + wantCollector, wantCollector.equals(collector) ? null
                : "profile chose " + collector + ": " + tail(profileErr)));
        Workload share = exitedFramesNamed(read(results.resolve("profile.folded")));
        String min = expected.getProperty("exited-frames-named-min", "").trim();
        String shareFailure;
        if (min.isEmpty()) {
            shareFailure = "no exited-frames-named-min in " + series + ".properties";
        } else if (share.own() < 100) {
            // Too few to judge a percentage by: the workload ran outside the profile, or was not sampled.
            shareFailure = "only " + share.own() + " samples in short_lived's own code (want >= 100): " + share;
        } else {
            shareFailure = share.percent() >= Double.parseDouble(min) ? null
                    : "short_lived: " + share + "; want >= " + min + " %";
        }
        checks.add(new Check("exitedFramesNamed >= " + min + " %", shareFailure));
        Map<String, Double> timings = timings(read(results.resolve("timings.txt")));
        String timingLine = timings.entrySet().stream().map(e -> String.format("%s %.0f s", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("no timings");
        System.err.printf("[matrix] %s: collector %s; short_lived: %s; %s%n", series, collector, share, timingLine);

        Files.createDirectories(reports);
        StringBuilder xml = new StringBuilder();
        long failed = checks.stream().filter(c -> c.failure != null).count();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"kernel-").append(series)
                .append("\" tests=\"").append(checks.size()).append("\" failures=\"").append(failed)
                .append("\" errors=\"0\" skipped=\"0\">\n");
        for (Check c : checks) {
            xml.append("  <testcase classname=\"kernel.").append(series.replace('.', '_')).append("\" name=\"")
                    .append(escape(c.name)).append("\"");
            if (c.failure == null) {
                xml.append("/>\n");
            } else {
                xml.append(">\n    <failure message=\"").append(escape(c.failure)).append("\"/>\n  </testcase>\n");
            }
        }
        xml.append("  <system-out>").append(escape("collector " + collector + "; short_lived: " + share + "; "
                + timingLine)).append("</system-out>\n");
        xml.append("</testsuite>\n");
        Files.writeString(reports.resolve("TEST-kernel-" + series + ".xml"), xml);
        System.out.printf("%-6s %7d %7d %7d%n", series, checks.size() - failed, failed, 0);
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * How the short_lived workload's samples came out. A folded line is "comm;outermost;...;leaf COUNT", kernel
     * frames end in "_[k]"; a user frame is a function name, "module+0xOFFSET" (a map covered it, no symbol did), or
     * a bare "0xADDRESS" (no map covered it).
     *
     * The judged share looks at each sample's innermost user frame, the sampled instruction itself (outer frames come
     * from frame pointers, and ld.so, built without them, leaves garbage there): of the samples in the workload's own
     * code, how many were resolved against a captured map (a short_lived function, or short_lived+0xOFFSET for the
     * PLT, which has no symbol). A bare address counts against it: it is what the binary's code looks like when no map
     * was captured. Samples taken inside execve are left out: their user registers belong to the old image while mm is
     * already the new one, so no map of either resolves them. Library frames are left out too: whether Debian's ld.so
     * and libc name them depends on their symbol tables, not on the collector (they dominate under TCG, where exec and
     * the dynamic loader cost a second per child). allNamed is the plain share of every user frame with a name.
     */
    record Workload(long resolved, long own, long allNamed, long allUser) {
        double percent() {
            return own == 0 ? 0 : 100.0 * resolved / own;
        }

        @Override
        public String toString() {
            return String.format("%.2f %% of samples in its own code resolved (%d of %d); %.1f %% of all its user "
                    + "frames named (%d of %d)", percent(), resolved, own,
                    allUser == 0 ? 0 : 100.0 * allNamed / allUser, allNamed, allUser);
        }
    }

    static Workload exitedFramesNamed(String folded) {
        long resolved = 0;
        long own = 0;
        long allNamed = 0;
        long allUser = 0;
        for (String line : folded.lines().toList()) {
            if (!line.startsWith("short_lived;")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            long count = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            String leaf = null;
            boolean inExecve = false;
            for (int i = 1; i < frames.length; i++) {
                String f = frames[i];
                if (f.endsWith("_[k]")) {
                    inExecve |= f.contains("sys_execve");
                    continue;
                }
                leaf = f;
                allUser += count;
                if (!f.contains("+0x") && !f.startsWith("0x") && !f.equals("[unknown]")) {
                    allNamed += count;
                }
            }
            if (leaf == null || inExecve) {
                continue;
            }
            boolean named = leaf.startsWith("short_lived_") || leaf.equals("_start");
            boolean offset = leaf.contains("/short_lived+0x");
            if (named || offset || leaf.startsWith("0x")) {
                own += count;
                resolved += named || offset ? count : 0;
            }
        }
        return new Workload(resolved, own, allNamed, allUser);
    }

    /** Seconds per step from guest-suite's "NAME start|end UPTIME" lines, and the matrix's "guest SECONDS". */
    static Map<String, Double> timings(String text) {
        Map<String, Double> starts = new LinkedHashMap<>();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            try {
                if (f.length == 3 && f[1].equals("start")) {
                    starts.put(f[0], Double.parseDouble(f[2]));
                } else if (f.length == 3 && f[1].equals("end") && starts.containsKey(f[0])) {
                    out.put(f[0], Double.parseDouble(f[2]) - starts.get(f[0]));
                } else if (f.length == 2 && f[0].equals("guest")) {
                    out.put("whole guest", Double.parseDouble(f[1]));
                }
            } catch (NumberFormatException e) {
                // A torn line (the guest died while writing): the other steps still count.
            }
        }
        return out;
    }

    static int rc(Path results, String name) {
        String s = read(results.resolve(name + ".rc")).trim();
        return s.isEmpty() ? -1 : Integer.parseInt(s);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    static String firstDifference(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
            String x = i < e.size() ? e.get(i) : "<none>";
            String y = i < a.size() ? a.get(i) : "<none>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": /proc '" + x + "' vs '" + y + "'";
            }
        }
        return "none";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
