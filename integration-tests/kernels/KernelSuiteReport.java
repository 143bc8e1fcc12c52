/*
 * Judges one guest's results (written by guest-suite) against expectations/<series>.properties and
 * writes them as JUnit XML, so ./mapsnap test counts them with every other suite.
 * Usage: java KernelSuiteReport.java SERIES RESULTS_DIR EXPECTATIONS_DIR REPORT_DIR RUN_EXIT_CODE
 * Prints one matrix row: "SERIES  passed failed skipped". Exits 1 when a check failed.
 */
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class KernelSuiteReport {
    record Check(String name, String failure) {
    }

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
            if (key.equals("best-source")) {
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
        xml.append("</testsuite>\n");
        Files.writeString(reports.resolve("TEST-kernel-" + series + ".xml"), xml);
        System.out.printf("%-6s %7d %7d %7d%n", series, checks.size() - failed, failed, 0);
        System.exit(failed == 0 ? 0 : 1);
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
