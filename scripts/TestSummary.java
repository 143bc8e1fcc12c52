/*
 * Counts every test that ran, from the JUnit XML reports Maven Surefire (unit tests) and bnd-testing
 * (OSGi integration tests, which print no summary of their own) leave under target/.
 * Usage: java scripts/TestSummary.java REPO_ROOT [--build-failed]
 * With --build-failed the Maven build itself counts as one failed test: tests it never reached are
 * not counted, but the line must not read as a clean run.
 * Prints failed tests, a table per suite, and last the line "N passed, N failed, N skipped".
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
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Map<String, Counts> suites = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> skips = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path report : files.filter(TestSummary::isReport).sorted().toList()) {
                String suite = suiteName(root, report);
                suites.merge(suite, read(report, failures, skips), Counts::plus);
            }
        }
        if (List.of(args).contains("--build-failed")) {
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
        // integration-tests/kernels/matrix writes test-reports/kernel-SERIES/: one suite per guest kernel.
        return folder.startsWith("kernel-") ? "kernel " + folder.substring(7) : "osgi " + folder + " " + module;
    }

    static Counts read(Path report, List<String> failures, List<String> skips) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element suite;
        try {
            suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
        } catch (IOException | org.xml.sax.SAXException e) {
            failures.add(report + ": unreadable report: " + e.getMessage());
            return new Counts(0, 1, 0);
        }
        int passed = 0, failed = 0, skipped = 0;
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            String name = tc.getAttribute("classname") + "." + tc.getAttribute("name");
            Element problem = first(tc, "failure");
            if (problem == null) {
                problem = first(tc, "error");
            }
            Element skip = first(tc, "skipped");
            if (problem != null) {
                failed++;
                String msg = problem.getAttribute("message");
                failures.add(name + (msg.isBlank() ? "" : ": " + firstLine(msg)));
            } else if (skip != null) {
                skipped++;
                // Surefire puts the reason in the message attribute, bnd's tester in the element's text.
                String msg = skip.getAttribute("message");
                if (msg.isBlank()) {
                    msg = skip.getTextContent().replaceFirst("^org\\.opentest4j\\.TestAbortedException: ", "")
                            .replaceFirst("^Assumption failed: ", "");
                }
                skips.add(name + ": " + (msg.isBlank() ? "(no reason given)" : firstLine(msg)));
            } else {
                passed++;
            }
        }
        return new Counts(passed, failed, skipped);
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
