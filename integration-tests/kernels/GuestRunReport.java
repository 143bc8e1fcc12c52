/*
 * What one guest of the kernel matrix did, as test cases next to the suite's own reports, so that ./mapsnap test
 * counts a guest that never ran, or ran less than the whole suite, as failures:
 *   GuestRun.guestRunsTheSuite        the kernel was fetched, the guest booted, the suite finished with a report;
 *   GuestRun.suiteExitMatchesReports  the suite's exit code is the number of failures its reports hold;
 *   GuestRun.everyTestClassRan        every class of the jar's Test-Cases left a result (when one did not: one
 *                                     failed GuestRun.testClassRan[CLASS] per missing class instead).
 * The last two need a finished suite and are written only after guestRunsTheSuite passed.
 * Usage: java GuestRunReport.java LABEL RESULTS_DIR REPORT_DIR RUN_EXIT_CODE
 * RESULTS_DIR is the matrix's per-kernel directory: fetch.rc/fetch.log (./run --fetch), package (what was fetched),
 * guest.jar (the guest's copy), run.log, and from guest-suite suite.rc, suite.err, uname.txt, timings.txt.
 * Prints one progress line with the kernel, its package, the outcome and the guest's timings; exits 1 when one of
 * these test cases failed.
 */
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class GuestRunReport {
    record TestCase(String name, String failure) {
    }

    /** What the suite's own reports hold: the classes that left a result, and how many test cases failed. */
    record SuiteReports(int files, Set<String> classes, int failed, List<String> unreadable) {
    }

    public static void main(String[] args) throws Exception {
        String label = args[0];
        Path results = Path.of(args[1]);
        Path reports = Path.of(args[2]);
        int runExit = Integer.parseInt(args[3]);
        Path own = reports.resolve("TEST-kernel-" + label + "-guest.xml");
        Files.createDirectories(reports);
        Files.deleteIfExists(own);
        String fetchRc = read(results.resolve("fetch.rc")).trim();
        String suiteRc = read(results.resolve("suite.rc")).trim();
        SuiteReports suite = suiteReports(reports);
        boolean reported = suite.files > 0;

        List<TestCase> cases = new ArrayList<>();
        String notRun = !fetchRc.isEmpty() && !fetchRc.equals("0")
                ? "the kernel could not be fetched or prepared (run --fetch exit " + fetchRc + "): "
                        + tail(read(results.resolve("fetch.log")))
                : switch (runExit) {
                    case 124 -> "kernel package missing (run exit 124): " + tail(read(results.resolve("run.log")));
                    case 125 -> "the guest did not boot twice, or the suite outlived the time limit or crashed the "
                            + "kernel (run exit 125): " + tail(read(results.resolve("run.log")));
                    default -> suiteRc.isEmpty() ? "the guest exited with " + runExit + " before the suite ran: "
                            + tail(read(results.resolve("run.log")))
                            : !reported ? "the suite wrote no report (JVM exit " + suiteRc + ", "
                                    + exitMeaning(Integer.parseInt(suiteRc)) + "): "
                                    + tail(read(results.resolve("suite.err")))
                            : null;
                };
        cases.add(new TestCase("guestRunsTheSuite", notRun));
        if (notRun == null) {
            cases.add(new TestCase("suiteExitMatchesReports", exitMismatch(Integer.parseInt(suiteRc), suite, results)));
            cases.addAll(classesRun(results.resolve("guest.jar"), suite));
        }

        Map<String, String> pkg = keyValues(read(results.resolve("package")));
        String kernel = pkg.isEmpty() ? "no kernel package"
                : "series " + pkg.getOrDefault("series", "?") + ", " + pkg.getOrDefault("package", "?") + " "
                        + pkg.getOrDefault("version", "?") + " (" + pkg.getOrDefault("suite", "?") + ")";
        String uname = read(results.resolve("uname.txt")).trim();
        String timings = timings(read(results.resolve("timings.txt")));
        long failed = cases.stream().filter(c -> c.failure != null).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"kernel-")
                .append(escape(label)).append("-guest\" tests=\"").append(cases.size()).append("\" failures=\"")
                .append(failed).append("\" errors=\"0\" skipped=\"0\">\n");
        for (TestCase c : cases) {
            xml.append("  <testcase classname=\"GuestRun\" name=\"").append(escape(c.name)).append('"')
                    .append(c.failure == null ? "/>\n"
                            : ">\n    <failure message=\"" + escape(c.failure) + "\"/>\n  </testcase>\n");
        }
        xml.append("  <system-out>").append(escape(kernel + "; " + uname + "; " + timings))
                .append("</system-out>\n</testsuite>\n");
        Files.writeString(own, xml);
        String outcome = failed == 0 ? "ok"
                : "FAILED: " + String.join("; ", cases.stream().filter(c -> c.failure != null)
                        .map(c -> c.name + ": " + c.failure).toList());
        System.out.printf("[matrix] %s: %s; %s; suite exit %s, %d failed in its reports; %s; %s%n", label, kernel,
                uname.isEmpty() ? "no guest" : uname, suiteRc.isEmpty() ? "none" : suiteRc, suite.failed, timings,
                outcome);
        // The matrix exits 1 when any guest's own test cases failed; the suite's failures are TestSummary's to count.
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * Null when the suite's exit code is exactly the failures already in its reports, else why not. bnd's tester
     * exits with the launcher's summary of failed tests and containers (TestExecutionSummary.getTotalFailureCount),
     * truncated to a byte by the process's exit status. Those failures are already counted from the XML by
     * TestSummary: an exit code equal to the failed test cases there adds nothing, so this test passes and nothing
     * is counted twice. Any other code is a failure the XML does not show, or shows differently: a crash or a
     * launcher/tester error, or a failed container. A class whose @AfterAll fails after its tests passed counts in
     * the exit code but leaves only passing test cases in the XML, and one whose @BeforeAll fails counts once in
     * the exit code while each of its tests is written as failed. Both are mismatches, reported with the numbers.
     */
    static String exitMismatch(int exit, SuiteReports suite, Path results) {
        if (!suite.unreadable.isEmpty()) {
            return "unreadable suite report(s): " + String.join(", ", suite.unreadable);
        }
        if (exit == (suite.failed & 0xff)) {
            return null;
        }
        return "the suite exited " + exit + " (" + exitMeaning(exit) + ") but its reports hold " + suite.failed
                + " failed test case(s): failures outside any test case, or a crash; suite.err: "
                + tail(read(results.resolve("suite.err")));
    }

    /** The exit codes the guest's JVM can end with, besides a failure count. */
    static String exitMeaning(int exit) {
        return switch (exit) {
            case 0 -> "no failure";
            case 1 -> "the JVM could not start the jar, or 1 failure";
            // aQute.launcher.constants.LauncherConstants: 126 minus 1..9.
            case 125 -> "launcher: WARNING";
            case 124 -> "launcher: ERROR";
            case 123 -> "launcher: TIMEDOUT";
            case 122 -> "launcher: UPDATE_NEEDED";
            case 121 -> "launcher: CANCELED";
            case 120 -> "launcher: DUPLICATE_BUNDLE";
            case 119 -> "launcher: RESOLVE_ERROR";
            case 118 -> "launcher: ACTIVATOR_ERROR";
            case 117 -> "launcher: STOPPED";
            // aQute.tester.junit.platform.Activator: exit(254) on its own errors, -1 when a test request threw.
            case 254 -> "the tester's own error";
            case 255 -> "-1: the tester could not run a test request";
            default -> exit > 128 && exit < 160 ? "killed by signal " + (exit - 128) + ", or that many failures"
                    : exit + " failures";
        };
    }

    /** One passing everyTestClassRan, or one failed testClassRan[CLASS] per class of Test-Cases with no result. */
    static List<TestCase> classesRun(Path jar, SuiteReports suite) {
        Set<String> expected;
        try {
            expected = testCases(jar);
        } catch (IOException e) {
            return List.of(new TestCase("everyTestClassRan", "cannot read the Test-Cases of " + jar + ": " + e));
        }
        if (expected.isEmpty()) {
            return List.of(new TestCase("everyTestClassRan", "no bundle in " + jar + " declares Test-Cases"));
        }
        List<TestCase> missing = expected.stream().filter(c -> !suite.classes.contains(c))
                .map(c -> new TestCase("testClassRan[" + c + "]",
                        c + " is in the guest jar's Test-Cases but left no result in the suite's reports"))
                .toList();
        return missing.isEmpty() ? List.of(new TestCase("everyTestClassRan", null)) : missing;
    }

    /**
     * The test classes the guest was to run: the Test-Cases headers of the bundles embedded in its own copy of
     * guest.jar (jar/*.jar). bnd computes the header from the compiled classes when it builds the bundle, and
     * bnd's tester runs exactly those classes, so the list cannot drift from what the jar holds.
     */
    static Set<String> testCases(Path guestJar) throws IOException {
        Set<String> classes = new TreeSet<>();
        try (ZipFile zip = new ZipFile(guestJar.toFile())) {
            for (var entry : zip.stream().filter(e -> e.getName().matches("jar/[^/]+\\.jar")).toList()) {
                try (InputStream in = zip.getInputStream(entry); JarInputStream bundle = new JarInputStream(in)) {
                    var manifest = bundle.getManifest();
                    String header = manifest == null ? null : manifest.getMainAttributes().getValue("Test-Cases");
                    if (header == null) {
                        continue;
                    }
                    for (String clause : header.split(",")) {
                        String name = clause.replaceFirst(";.*", "").trim();
                        if (!name.isEmpty()) {
                            classes.add(name);
                        }
                    }
                }
            }
        }
        return classes;
    }

    /** The tester's TEST-*.xml in REPORT_DIR (one per test bundle), without this class's own file. */
    static SuiteReports suiteReports(Path reports) throws IOException {
        Set<String> classes = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        int failed = 0;
        if (!Files.isDirectory(reports)) {
            return new SuiteReports(0, classes, 0, unreadable);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")
                    && !p.getFileName().toString().matches("TEST-kernel-.*-guest\\.xml")).sorted().toList();
        }
        var factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        for (Path file : files) {
            Element root;
            try {
                root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
            } catch (Exception e) {
                unreadable.add(file.getFileName() + " (" + e.getMessage() + ")");
                continue;
            }
            NodeList cases = root.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element tc = (Element) cases.item(i);
                classes.add(tc.getAttribute("classname"));
                if (tc.getElementsByTagName("failure").getLength() > 0
                        || tc.getElementsByTagName("error").getLength() > 0) {
                    failed++;
                }
            }
        }
        return new SuiteReports(files.size(), classes, failed, unreadable);
    }

    /** Seconds per step from guest-suite's "NAME start|end UPTIME" lines, and the matrix's "fetch|guest SECONDS". */
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
                } else if (f.length == 2 && f[0].equals("fetch")) {
                    out.put("fetch", Double.parseDouble(f[1]));
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

    /** The key=value lines of run's package file. */
    static Map<String, String> keyValues(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
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
