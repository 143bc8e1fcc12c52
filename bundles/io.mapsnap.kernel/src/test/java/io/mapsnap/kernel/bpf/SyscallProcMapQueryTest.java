package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** PROCMAP_QUERY against the kernel's own text view of /proc/self/maps. */
class SyscallProcMapQueryTest {
    @Test
    void agreesWithProcSelfMapsText() throws Exception {
        // The JVM maps memory concurrently (JIT, GC, thread stacks): retry until the text is the same before and
        // after the binary enumeration, then compare field by field.
        List<String> mismatches = new ArrayList<>();
        for (int attempt = 1; attempt <= 20; attempt++) {
            List<String> before = Files.readAllLines(Path.of("/proc/self/maps"));
            List<ProcMapEntry> queried;
            try (ProcMapQuery q = ProcMapQuery.open(TestObjects.pid())) {
                queried = q.all();
            }
            List<String> after = Files.readAllLines(Path.of("/proc/self/maps"));
            if (!before.equals(after)) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            for (String line : before) {
                // [vsyscall] is the gate area, not a VMA of the mm: PROCMAP_QUERY never returns it.
                if (!line.endsWith("[vsyscall]")) {
                    expected.add(normalize(line));
                }
            }
            List<String> actual = queried.stream().map(SyscallProcMapQueryTest::render).toList();
            if (!expected.equals(actual)) {
                List<String> onlyText = new ArrayList<>(expected);
                onlyText.removeAll(actual);
                List<String> onlyQuery = new ArrayList<>(actual);
                onlyQuery.removeAll(expected);
                System.out.println("attempt " + attempt + ": only in text " + onlyText + ", only in PROCMAP_QUERY " + onlyQuery);
                mismatches.add("only in text " + onlyText + ", only in PROCMAP_QUERY " + onlyQuery);
                continue;
            }
            System.out.println("PROCMAP_QUERY agrees with /proc/self/maps on " + actual.size() + " VMAs (attempt "
                    + attempt + ", [vsyscall] excluded)");
            return;
        }
        throw new AssertionError("no agreement in 20 attempts; mismatches: " + mismatches);
    }

    @Test
    void pointQueries() throws Exception {
        try (ProcMapQuery q = ProcMapQuery.open(TestObjects.pid())) {
            ProcMapEntry first = q.query(0, ProcMapQuery.COVERING_OR_NEXT_VMA).orElseThrow();
            assertTrue(first.start() > 0);
            assertEquals(Optional.of(first), q.query(first.start(), 0));
            assertEquals(Optional.empty(), q.query(0, 0), "nothing covers address 0");
            ProcMapEntry file = q.query(0, ProcMapQuery.COVERING_OR_NEXT_VMA | ProcMapQuery.FILE_BACKED_VMA).orElseThrow();
            assertTrue(file.inode() != 0, file.toString());
        }
    }

    @Test
    void missingProcessIsEnoent() {
        BpfException e = org.junit.jupiter.api.Assertions.assertThrows(BpfException.class,
                () -> ProcMapQuery.open(Integer.MAX_VALUE).close());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("openat", e.call());
    }

    /** /proc pads the name column; keep single spaces. */
    private static String normalize(String line) {
        String[] f = line.trim().split("\\s+", 6);
        return String.join(" ", f[0], f[1], f[2], f[3], f[4], f.length > 5 ? f[5] : "").trim();
    }

    /** As /proc prints it: addresses with at least 8 hex digits (the JVM's CDS archive may sit below 0x10000000). */
    private static String render(ProcMapEntry e) {
        return String.format("%08x-%08x %s %08x %02x:%02x %d %s", e.start(), e.end(), e.perms(), e.offset(), e.devMajor(),
                e.devMinor(), e.inode(), e.name()).trim();
    }
}
