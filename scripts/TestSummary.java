/*
 * Counts every test that ran, from the JUnit XML reports Maven Surefire (unit tests) and bnd-testing
 * (OSGi integration tests, which print no summary of their own) leave under target/.
 * Usage: java scripts/TestSummary.java REPO_ROOT [--build-failed] [--kernels "SERIES..."]
 * With --build-failed the Maven build itself counts as one failed test: tests it never reached are
 * not counted, but the line must not read as a clean run. With --kernels, each kernel series the matrix
 * was asked for (5.10, 6.1, 6.12, newest) must have left reports; one that left none (the matrix did not
 * run at all, or stopped before it) counts as one failed GuestRun.guestRunsTheSuite of that kernel.
 * Prints failed tests, a table per suite, the kernel matrix (each OSGi integration test class on the host's
 * kernel and in every QEMU guest of integration-tests/kernels/matrix: passed/failed/skipped), and last the
 * line "N passed, N failed, N skipped".
 * Exits 1 when a test failed or no test ran at all.
 */
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class TestSummary {
    record Counts(int passed, int failed, int skipped) {
        Counts plus(Counts o) {
            return new Counts(passed + o.passed, failed + o.failed, skipped + o.skipped);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> argList = List.of(args);
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int kernelsAt = argList.indexOf("--kernels");
        List<String> requestedKernels = kernelsAt >= 0 && kernelsAt + 1 < args.length
                ? List.of(args[kernelsAt + 1].trim().split("\\s+")).stream().filter(k -> !k.isEmpty()).toList()
                : List.of();
        Map<String, Counts> suites = new TreeMap<>();
        // test class -> kernel -> counts, for the OSGi suite on the host and in the guests
        Map<String, Map<String, Counts>> matrix = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> skips = new ArrayList<>();
        String host = hostKernel();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path report : files.filter(TestSummary::isReport).sorted().toList()) {
                String suite = suiteName(root, report);
                String kernel = suite.startsWith("kernel ") ? suite.substring(7)
                        : suite.startsWith("osgi ") ? host : null;
                // The same test names run on every kernel: say which one a failure or skip happened on.
                String prefix = kernel == null ? "" : "[" + kernel + "] ";
                Map<String, Counts> byClass = read(report, prefix, failures, skips);
                for (var e : byClass.entrySet()) {
                    suites.merge(suite, e.getValue(), Counts::plus);
                    if (kernel != null) {
                        matrix.computeIfAbsent(e.getKey().replaceFirst("^io\\.mapsnap\\.itest\\.", ""),
                                k -> new TreeMap<>(TestSummary::bySeries)).merge(kernel, e.getValue(), Counts::plus);
                    }
                }
            }
        }
        for (String k : requestedKernels) {
            // "newest" reports as "7.3 newest" (the series it resolved to), or as "newest" when it did not resolve.
            boolean reported = suites.keySet().stream().anyMatch(s -> s.equals("kernel " + k) || s.startsWith("kernel ")
                    && s.endsWith(" " + k));
            if (!reported) {
                suites.merge("kernel " + k, new Counts(0, 1, 0), Counts::plus);
                matrix.computeIfAbsent("GuestRun", c -> new TreeMap<>(TestSummary::bySeries)).merge(k,
                        new Counts(0, 1, 0), Counts::plus);
                failures.add("[" + k + "] GuestRun.guestRunsTheSuite: the kernel matrix did not run for this kernel"
                        + " (no report in integration-tests/target/test-reports/kernel-" + k + ")");
            }
        }
        if (argList.contains("--build-failed")) {
            suites.merge("build maven", new Counts(0, 1, 0), Counts::plus);
            failures.add("the Maven build failed before every suite ran: see build.log");
        }
        Counts total = new Counts(0, 0, 0);
        for (Counts c : suites.values()) {
            total = total.plus(c);
        }
        if (!skips.isEmpty()) {
            System.out.println("skipped (with reasons):");
            skips.forEach(s -> System.out.println("  " + s));
        }
        if (!failures.isEmpty()) {
            System.out.println("FAILED:");
            failures.forEach(f -> System.out.println("  " + f));
        }
        System.out.printf("%-40s %7s %7s %7s%n", "suite", "passed", "failed", "skipped");
        suites.forEach((name, c) -> System.out.printf("%-40s %7d %7d %7d%n", name, c.passed, c.failed, c.skipped));
        printMatrix(matrix);
        if (suites.isEmpty()) {
            System.out.println("(no test reports found: the build failed before any test ran)");
        }
        System.out.printf("%d passed, %d failed, %d skipped%n", total.passed, total.failed, total.skipped);
        System.exit(total.failed > 0 || total.passed + total.failed == 0 ? 1 : 0);
    }

    static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        String path = p.toString();
        return name.startsWith("TEST-") && name.endsWith(".xml")
                && (path.contains("/target/surefire-reports/") || path.contains("/target/test-reports/"));
    }

    /** "unit io.mapsnap.kernel" or "osgi itest" (the bndrun's report folder). */
    static String suiteName(Path root, Path report) {
        Path rel = root.relativize(report);
        int target = -1;
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (rel.getName(i).toString().equals("target")) {
                target = i;
                break;
            }
        }
        String module = target > 0 ? rel.getName(target - 1).toString() : rel.toString();
        if (!rel.toString().contains("/test-reports/")) {
            return "unit " + module;
        }
        String folder = rel.getName(target + 2).toString();
        // integration-tests/kernels/matrix writes test-reports/kernel-SERIES/: one suite per guest kernel; the
        // pseudo-series newest writes kernel-7.3-newest/ (the series it resolved to), shown as "7.3 newest".
        return folder.startsWith("kernel-") ? "kernel " + folder.substring(7).replace('-', ' ')
                : "osgi " + folder + " " + module;
    }

    /** Counts per test class of one report. */
    static Map<String, Counts> read(Path report, String prefix, List<String> failures, List<String> skips)
            throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element suite;
        try {
            suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
        } catch (IOException | org.xml.sax.SAXException e) {
            failures.add(report + ": unreadable report: " + e.getMessage());
            return Map.of(report.getFileName().toString(), new Counts(0, 1, 0));
        }
        Map<String, Counts> byClass = new TreeMap<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            String name = prefix + tc.getAttribute("classname") + "." + tc.getAttribute("name");
            Element problem = first(tc, "failure");
            if (problem == null) {
                problem = first(tc, "error");
            }
            Element skip = first(tc, "skipped");
            Counts one;
            if (problem != null) {
                one = new Counts(0, 1, 0);
                String msg = problem.getAttribute("message");
                failures.add(name + (msg.isBlank() ? "" : ": " + firstLine(msg)));
            } else if (skip != null) {
                one = new Counts(0, 0, 1);
                // Surefire puts the reason in the message attribute, bnd's tester in the element's text.
                String msg = skip.getAttribute("message");
                if (msg.isBlank()) {
                    msg = skip.getTextContent().replaceFirst("^org\\.opentest4j\\.TestAbortedException: ", "")
                            .replaceFirst("^Assumption failed: ", "");
                }
                skips.add(name + ": " + (msg.isBlank() ? "(no reason given)" : firstLine(msg)));
            } else {
                one = new Counts(1, 0, 0);
            }
            byClass.merge(tc.getAttribute("classname"), one, Counts::plus);
        }
        return byClass;
    }

    /** The kernel × test class table: "passed/failed/skipped" per cell, "-" where the class did not run. */
    static void printMatrix(Map<String, Map<String, Counts>> matrix) {
        List<String> kernels = matrix.values().stream().flatMap(m -> m.keySet().stream()).distinct()
                .sorted(TestSummary::bySeries).toList();
        if (kernels.size() < 2) {
            return; // the host alone: the suite table says it all
        }
        System.out.println("kernel matrix (passed/failed/skipped):");
        StringBuilder head = new StringBuilder(String.format("  %-32s", "test class"));
        kernels.forEach(k -> head.append(String.format(" %12s", k)));
        System.out.println(head);
        matrix.forEach((cls, cells) -> {
            StringBuilder row = new StringBuilder(String.format("  %-32s", cls));
            for (String k : kernels) {
                Counts c = cells.get(k);
                row.append(String.format(" %12s", c == null ? "-" : c.passed + "/" + c.failed + "/" + c.skipped));
            }
            System.out.println(row);
        });
    }

    /** "6.18 host" for the OSGi suite that Maven ran on this machine. */
    static String hostKernel() {
        try {
            return Files.readAllLines(Path.of("/proc/sys/kernel/osrelease")).get(0)
                    .replaceFirst("^(\\d+\\.\\d+).*", "$1") + " host";
        } catch (IOException e) {
            return "host";
        }
    }

    /** Kernel series in version order: 5.10 before 6.1 before 6.12 before 6.18 before 7.3 newest. */
    static int bySeries(String a, String b) {
        String[] x = a.split("[. ]");
        String[] y = b.split("[. ]");
        try {
            for (int i = 0; i < 2; i++) {
                int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
                if (c != 0) {
                    return c;
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // a name without a series ("host" when /proc could not be read): plain order
        }
        return a.compareTo(b);
    }

    static Element first(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
