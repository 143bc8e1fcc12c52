/*
 * Whether one guest of the kernel matrix booted and its OSGi integration suite finished, as one more JUnit
 * test next to the suite's own reports, so that ./mapsnap test counts a guest that never ran as a failure.
 * A finished suite wrote TEST-*.xml (bnd's tester) and exited with its number of failures.
 * Usage: java GuestRunReport.java SERIES RESULTS_DIR REPORT_DIR RUN_EXIT_CODE
 * Prints one progress line with the kernel, the outcome and the guest's timings.
 */
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.stream.Stream;

public class GuestRunReport {
    public static void main(String[] args) throws Exception {
        String series = args[0];
        Path results = Path.of(args[1]);
        Path reports = Path.of(args[2]);
        int runExit = Integer.parseInt(args[3]);
        String suiteRc = read(results.resolve("suite.rc")).trim();
        boolean reported;
        try (Stream<Path> files = Files.list(reports)) {
            reported = files.anyMatch(p -> p.getFileName().toString().matches("TEST-.*\\.xml"));
        }
        String failure = switch (runExit) {
            case 124 -> "kernel package missing (run exit 124): " + tail(read(results.resolve("run.log")));
            case 125 -> "the guest did not boot twice, or the suite outlived the time limit or crashed the kernel "
                    + "(run exit 125): " + tail(read(results.resolve("run.log")));
            default -> suiteRc.isEmpty() ? "the guest exited with " + runExit + " before the suite ran: "
                    + tail(read(results.resolve("run.log")))
                    : !reported ? "the suite wrote no report (JVM exit " + suiteRc + "): "
                            + tail(read(results.resolve("suite.err")))
                    : null;
        };
        String uname = read(results.resolve("uname.txt")).trim();
        String timings = timings(read(results.resolve("timings.txt")));
        Files.createDirectories(reports);
        String testcase = "  <testcase classname=\"GuestRun\" name=\"guestRunsTheSuite\""
                + (failure == null ? "/>\n" : ">\n    <failure message=\"" + escape(failure) + "\"/>\n  </testcase>\n");
        Files.writeString(reports.resolve("TEST-kernel-" + series + "-guest.xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"kernel-" + series + "-guest\" tests=\"1\""
                        + " failures=\"" + (failure == null ? 0 : 1) + "\" errors=\"0\" skipped=\"0\">\n" + testcase
                        + "  <system-out>" + escape(uname + "; " + timings) + "</system-out>\n</testsuite>\n");
        System.out.printf("[matrix] %s: %s; suite exit %s; %s%n", series, uname.isEmpty() ? "no guest" : uname,
                suiteRc.isEmpty() ? "none" : suiteRc, failure == null ? timings : "FAILED: " + failure);
    }

    /** Seconds per step from guest-suite's "NAME start|end UPTIME" lines, and the matrix's "guest SECONDS". */
    static String timings(String text) {
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
        return out.entrySet().stream().map(e -> String.format("%s %.0f s", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("no timings");
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

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
