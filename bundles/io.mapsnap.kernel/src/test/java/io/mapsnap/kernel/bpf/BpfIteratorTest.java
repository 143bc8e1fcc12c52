package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** iter/task read through bpf_iter_create: the kernel's pid filter (6.1+) and the stream variant. */
class BpfIteratorTest {
    @Test
    void taskIteratorFilteredByPidListsThisProcess() throws Exception {
        int pid = TestObjects.pid();
        try (BpfObject obj = TestObjects.open("test_iter_task")) {
            obj.load();
            BpfLink link = obj.program("test_iter_task").attachIter(pid);
            List<String> lines = new String(link.readIterator(), StandardCharsets.US_ASCII).lines().toList();
            assertFalse(lines.isEmpty(), "iterator wrote nothing");
            Set<Integer> tgids = lines.stream().map(l -> Integer.parseInt(l.split(" ")[0])).collect(Collectors.toSet());
            assertEquals(Set.of(pid), tgids, "the link's task.pid filter keeps only this process");
            Set<Integer> tids = lines.stream().map(l -> Integer.parseInt(l.split(" ")[1])).collect(Collectors.toSet());
            assertTrue(tids.contains(pid), "main thread " + pid + " in " + tids);
            long javaThreads = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task")).count();
            System.out.println("iter/task pid=" + pid + ": " + lines.size() + " tasks (/proc/self/task: " + javaThreads + ")");
            assertTrue(Math.abs(lines.size() - javaThreads) < 20, lines.size() + " vs " + javaThreads);
        }
    }

    @Test
    void unfilteredIteratorSeesOtherProcessesAndStreams() throws Exception {
        try (BpfObject obj = TestObjects.open("test_iter_task")) {
            obj.load();
            BpfLink link = obj.program("test_iter_task").attachIter(null);
            byte[] all;
            try (InputStream in = link.openIterator()) {
                all = in.readAllBytes();
            }
            Set<Integer> tgids = new String(all, StandardCharsets.US_ASCII).lines()
                    .map(l -> Integer.parseInt(l.split(" ")[0])).collect(Collectors.toSet());
            Set<Integer> procPids;
            try (var dir = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
                procPids = dir.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .map(Integer::parseInt).collect(Collectors.toSet());
            }
            Set<Integer> missing = new java.util.TreeSet<>(procPids);
            missing.removeAll(tgids);
            // Observed on this 6.18 host: the unfiltered task iterator starts at pid 2 and never shows pid 1;
            // other absences are processes that exited between the two reads.
            System.out.println("unfiltered iter/task: " + tgids.size() + " processes, /proc: " + procPids.size()
                    + ", in /proc but not iterated: " + missing);
            assertTrue(missing.size() <= 3, "iterator missed " + missing);
            assertTrue(tgids.contains(TestObjects.pid()));
            // A link can be run again: each bpf_iter_create starts a fresh pass.
            assertTrue(link.readIterator().length > 0);
        }
    }

    @Test
    void closedStreamRefusesReads() throws Exception {
        try (BpfObject obj = TestObjects.open("test_iter_task")) {
            obj.setRodataInt("target_tgid", TestObjects.pid());
            obj.load();
            InputStream in = obj.program("test_iter_task").attachIter(null).openIterator();
            in.close();
            in.close();
            try {
                in.read();
                throw new AssertionError("read after close");
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains("closed"));
            }
        }
    }
}
