package io.mapsnap.kernel.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.component.VariantVerdict;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantSelection;

/**
 * What a walker naming files from the dentry chain (a *_dentry object, bpf-programs/include/mapsnap_dentry_path.h)
 * must show, against the kernel's own view on the host: each case's snapshot equals /proc/PID/maps without
 * [vsyscall], byte for byte, except a path longer than the record holds, which must come out marked incomplete.
 * Each walker bundle runs it on its own object by extending this class.
 */
public abstract class DentryPathWalkerContract {
    @TempDir
    static Path tools;
    static Path mapper;

    @TempDir
    Path dir;

    /** The _dentry object under test: the bundle resource /bpf/NAME.bpf.o. */
    protected abstract String objectName();

    /** A class of the bundle carrying the object. */
    protected abstract Class<?> owner();

    /**
     * The walker as its component would load it; a kernel that refuses it skips the test with its own words (what
     * to expect comes from what loaded: the kernel matrix runs it where it loads).
     */
    private IterVmaWalker openWalker() {
        VariantSelection<IterVmaSource> s = IterVmaSource.select(objectName(), 65536,
                List.of(new ProgramVariant("dentry-path", objectName(), owner())));
        VariantVerdict v = s.verdicts().get(0);
        Assumptions.assumeTrue(v.accepted(), () -> objectName() + " cannot run here: " + v.summary());
        return s.chosen().orElseThrow().walker();
    }

    @BeforeAll
    static void buildMapper() throws Exception {
        mapper = MappedPathWorkload.compile(tools);
    }

    @BeforeEach
    void canRun() throws IOException {
        MappedPathWorkload.assumeRoot();
        openWalker().close();
    }

    @Test
    void anOrdinaryProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + sleeper.pid() + "/stat")).contains(") S ");
                    i++) {
                Thread.sleep(10);
            }
            assertSameAsProc("sleep", sleeper.pid());
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void filesThroughABindMountAndAnotherMount() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(src.resolve("lib.bin"), "bound");
        String setup = """
                mkdir bind tmp
                mount --bind src bind
                mount -t tmpfs mapsnap-test tmp
                mkdir -p tmp/in/a/mount
                echo x > tmp/in/a/mount/t.bin
                mkdir tmp/in/a/mount/nested
                mount --bind src tmp/in/a/mount/nested
                """;
        try (MappedPathWorkload w = MappedPathWorkload.startInMountNamespace(mapper, dir, setup,
                "map", "bind/sub/lib.bin", "map", "src/sub/lib.bin", "map", "tmp/in/a/mount/t.bin",
                "map", "tmp/in/a/mount/nested/sub/lib.bin")) {
            String proc = assertSameAsProc("bind mounts", w.pid());
            // The test's own premise: /proc names each mapping by the mount it was opened through.
            assertNamed(proc, "bind/sub/lib.bin");
            assertNamed(proc, "src/sub/lib.bin");
            assertNamed(proc, "tmp/in/a/mount/t.bin");
            assertNamed(proc, "tmp/in/a/mount/nested/sub/lib.bin");
        }
    }

    @Test
    void filesThroughAnOverlayMount() throws Exception {
        MappedPathWorkload.assumeFileSystem("overlay");
        // Its layers on a tmpfs of the workload's namespace: an upper layer on overlayfs (a QEMU guest's root) or
        // on some other file systems is refused.
        String setup = """
                mkdir t
                mount -t tmpfs mapsnap-test t
                mkdir -p t/lower/d t/upper/d t/work t/merged
                echo lower > t/lower/d/low.bin
                echo upper > t/upper/d/up.bin
                mount -t overlay mapsnap-test -o lowerdir=t/lower,upperdir=t/upper,workdir=t/work t/merged
                """;
        try (MappedPathWorkload w = MappedPathWorkload.startInMountNamespace(mapper, dir, setup,
                "map", "t/merged/d/low.bin", "map", "t/merged/d/up.bin")) {
            String proc = assertSameAsProc("overlay", w.pid());
            assertNamed(proc, "t/merged/d/low.bin");
            assertNamed(proc, "t/merged/d/up.bin");
        }
    }

    @Test
    void aFileDeletedWhileMapped() throws Exception {
        Files.writeString(dir.resolve("gone.bin"), "soon deleted");
        try (MappedPathWorkload w = MappedPathWorkload.start(mapper, dir, "map-unlinked", "gone.bin")) {
            String proc = assertSameAsProc("deleted", w.pid());
            assertTrue(proc.contains(" " + dir.resolve("gone.bin") + " (deleted)\n"), proc);
        }
    }

    @Test
    void pseudoFilesNamedByTheirDname() throws Exception {
        // memfd and SysV shm: simple_dname; perf_event: anon_inodefs_dname; a packet socket's ring: sockfs_dname.
        try (MappedPathWorkload w = MappedPathWorkload.start(mapper, dir, "memfd", "mapsnap-memfd", "shm", "perf",
                "packet")) {
            String proc = assertSameAsProc("dname", w.pid());
            assertTrue(proc.matches("(?s).* socket:\\[[0-9]+\\]\n.*"), proc);
            assertTrue(proc.contains(" /memfd:mapsnap-memfd (deleted)\n"), proc);
            assertTrue(proc.contains(" /SYSV00000000 (deleted)\n"), proc);
            assertTrue(proc.contains(" anon_inode:[perf_event]\n"), proc);
        }
    }

    @Test
    void aDeepPathAndALongName() throws Exception {
        String longName = "n".repeat(255);
        Files.writeString(dir.resolve(longName), "long name");
        // 40 levels of 8-character names below dir ("aaaaaaaa/bbbbbbbb/..."), then "f".
        StringBuilder deep = new StringBuilder(dir.toString());
        for (int i = 0; i < 40; i++) {
            deep.append('/').append(String.valueOf((char) ('a' + i % 26)).repeat(8));
        }
        try (MappedPathWorkload w = MappedPathWorkload.start(mapper, dir, "map", longName, "deep", "40", "8")) {
            String proc = assertSameAsProc("deep", w.pid());
            assertTrue(proc.contains(" " + dir.resolve(longName) + "\n"), proc);
            assertTrue(proc.contains(" " + deep + "/f\n"), proc);
        }
    }

    @Test
    void aPathLongerThanTheRecordHoldsIsMarkedIncomplete() throws Exception {
        // 20 levels of 250 characters: more than MAPSNAP_NAMES_MAX (4,096) bytes. Only reachable relatively, and
        // on a tmpfs of the workload's own namespace, so nothing has to delete it.
        try (MappedPathWorkload w = MappedPathWorkload.startInMountNamespace(mapper, dir,
                "mkdir t\nmount -t tmpfs mapsnap-test t\ncd t", "deep", "20", "250")) {
            List<String> proc = MappedPathWorkload.procMaps(w.pid()).lines().toList();
            VmaSnapshot snap;
            try (IterVmaWalker walker = openWalker()) {
                snap = walker.snapshot(w.pid());
            }
            List<String> got = snap.toProcMaps().lines().toList();
            assertEquals(proc.size(), got.size(), () -> String.join("\n", got));
            int marked = 0;
            for (int i = 0; i < proc.size(); i++) {
                if (proc.get(i).endsWith("/f")) {
                    Vma v = snap.vmas().get(i);
                    String full = proc.get(i).substring(proc.get(i).indexOf('/'));
                    assertTrue(full.length() > VmaRecordLayout.NAMES_MAX, full);
                    assertTrue(v.path().startsWith(VmaRecordDecoder.INCOMPLETE_MARK + "/"), v.path());
                    String tail = v.path().substring(VmaRecordDecoder.INCOMPLETE_MARK.length());
                    // What it kept is the leaf end of the path, whole names only, as much as the record holds.
                    assertTrue(full.endsWith(tail), tail);
                    assertTrue(tail.length() <= VmaRecordLayout.NAMES_MAX && tail.length() > 3500, "" + tail.length());
                    marked++;
                } else {
                    assertEquals(proc.get(i), got.get(i));
                }
            }
            assertEquals(1, marked);
            report("too long", w.pid(), proc.size(), 1);
        }
    }

    @Test
    void aChosenWalkerMapsItsRingOnlyWhileItIsUsed() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        long before = bpfMapMappings();
        try (IterVmaWalker walker = openWalker()) {
            assertEquals(before, bpfMapMappings(), "chosen after a walk of this process, then released");
            walker.snapshot(self);
            assertTrue(bpfMapMappings() > before, "mapped from the first snapshot on");
            walker.snapshot(self);
            long walking = bpfMapMappings();
            walker.releaseRing();
            assertEquals(before, bpfMapMappings(), "released");
            walker.snapshot(self);
            assertEquals(walking, bpfMapMappings(), "mapped again by the next snapshot");
        }
    }

    private static long bpfMapMappings() throws IOException {
        return MappedPathWorkload.procMaps(ProcessHandle.current().pid()).lines()
                .filter(l -> l.endsWith(" anon_inode:bpf-map")).count();
    }

    @Test
    void theJvmItselfWithItsBpfMapMappings() throws Exception {
        // The walker keeps its ring buffer mapped from its first snapshot on: /proc shows it as anon_inode:bpf-map.
        try (IterVmaWalker walker = openWalker()) {
            List<String> proc = assertWalksTheJvmAsProcShows(walker, "jvm");
            assertTrue(proc.stream().anyMatch(l -> l.endsWith(" anon_inode:bpf-map")), String.join("\n", proc));
        }
    }

    @Test
    void aMapLargerThanTheRingHoldsIsRefusedWithTheCountsNotCutShort() throws Exception {
        // 3,000 more mappings of one file page (offsets do not continue, so they never merge) through a 128 KiB
        // ring: at 64 bytes and more a record, they cannot all arrive.
        int ringBytes = 128 * 1024;
        Path page = Files.write(dir.resolve("mapped-3000-times.bin"), new byte[4096]);
        try (IterVmaWalker walker = openWalkerWithRing(ringBytes)) {
            int self = (int) ProcessHandle.current().pid();
            assertWalksTheJvmAsProcShows(walker, "jvm through a " + ringBytes + "-byte ring");
            try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(page, StandardOpenOption.READ)) {
                for (int i = 0; i < 3000; i++) {
                    ch.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena);
                }
                VmaCaptureException e = assertThrows(VmaCaptureException.class, () -> walker.snapshot(self));
                assertTrue(e.getMessage().contains("has more VMAs than one walk's ring buffer holds")
                        && e.getMessage().contains("in " + ringBytes + " bytes"), e.getMessage());
                System.out.println(objectName() + " refused: " + e.getMessage());
            }
            // The walker is not worse for it: once the map fits again, it walks whole.
            assertWalksTheJvmAsProcShows(walker, "jvm through the same ring after the refusal");
        }
    }

    /** Walks this JVM until a walk meets a quiet /proc read (a thread started, the heap grew: walk again). */
    private List<String> assertWalksTheJvmAsProcShows(IterVmaWalker walker, String what) throws Exception {
        long self = ProcessHandle.current().pid();
        String why = "";
        for (int attempt = 1; attempt <= 20; attempt++) {
            String before = MappedPathWorkload.procMaps(self);
            VmaSnapshot snap = walker.snapshot((int) self);
            String after = MappedPathWorkload.procMaps(self);
            if (!before.equals(after)) {
                why = "the JVM's map changed during the walk";
                continue;
            }
            List<String> proc = before.lines().toList();
            List<String> got = snap.toProcMaps().lines().toList();
            if (!proc.equals(got)) {
                // A drain thread's stack where glibc had none cached (its first walk) is not in the /proc read.
                why = "differs from /proc:\n" + diff(proc, got);
                continue;
            }
            report(what + " (walk " + attempt + ")", self, proc.size(), 0);
            return proc;
        }
        throw new AssertionError("20 walks of the JVM never matched a quiet /proc read: " + why);
    }

    /** The walker object configured as its component does, with its ring buffer resized before it loads. */
    private IterVmaWalker openWalkerWithRing(int ringBytes) throws Exception {
        BpfObject o = new ProgramVariant("dentry-path", objectName(), owner()).open();
        try {
            IterVmaWalker.configure(o, 65536);
            o.map("records").setMaxEntries(ringBytes);
            o.load();
            return new IterVmaWalker(objectName(), o);
        } catch (Exception | Error e) {
            o.close();
            throw e;
        }
    }

    private void assertNamed(String proc, String relative) {
        assertTrue(MappedPathWorkload.names(proc, dir, relative), relative + " in\n" + proc);
    }

    /** Walks {@code pid} with a fresh walker and asserts its maps equal /proc's; returns /proc's text. */
    private String assertSameAsProc(String what, long pid) throws Exception {
        try (IterVmaWalker walker = openWalker()) {
            String why = "";
            for (int attempt = 0; attempt < 3; attempt++) {
                String before = MappedPathWorkload.procMaps(pid);
                VmaSnapshot snap = walker.snapshot((int) pid);
                String after = MappedPathWorkload.procMaps(pid);
                if (!before.equals(after)) {
                    why = "its map changed during the walk";
                    continue;
                }
                assertFalse(snap.truncated());
                assertEquals(before, snap.toProcMaps(), () -> diff(before.lines().toList(),
                        snap.toProcMaps().lines().toList()));
                report(what, pid, snap.vmas().size(), 0);
                return before;
            }
            throw new AssertionError(what + ": " + why);
        }
    }

    private void report(String what, long pid, int vmas, int marked) {
        System.out.printf("%s %s: pid %d, %d VMAs compared with /proc, %d differing (marked incomplete)%n",
                objectName(), what, pid, vmas, marked);
    }

    private static String diff(List<String> expected, List<String> got) {
        StringBuilder d = new StringBuilder();
        for (String l : expected) {
            if (!got.contains(l)) {
                d.append("- ").append(l).append('\n');
            }
        }
        for (String l : got) {
            if (!expected.contains(l)) {
                d.append("+ ").append(l).append('\n');
            }
        }
        return d.toString();
    }
}
