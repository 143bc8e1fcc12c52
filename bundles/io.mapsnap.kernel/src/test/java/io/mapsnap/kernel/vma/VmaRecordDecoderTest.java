package io.mapsnap.kernel.vma;

import static io.mapsnap.kernel.vma.VmaRecordLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;

/** Records laid out byte for byte as mapsnap_records.h defines them, as the ring buffer delivers them. */
class VmaRecordDecoderTest {
    private static final long START_BRK = 0x555555600000L;
    private static final long BRK = 0x555555621000L;
    private static final long START_STACK = 0x7ffffffde100L;

    private final List<byte[]> records = new ArrayList<>();

    @Test
    void decodesHeaderVmasAndTrailer() {
        header(4242, 0);
        vma(0x555555554000L, 0x555555556000L, 0, 0x5, (8 << 20) | 1, 1234, PATH_FULL, "/usr/bin/cat");
        vma(START_BRK, BRK, 0, 0x3, 0, 0, PATH_NONE, "");
        vma(0x7ffff7fc1000L, 0x7ffff7fc3000L, 0, 0x5, 0, 0, PATH_SPECIAL, "[vdso]");
        vma(0x7ffffffde000L, 0x7ffffffff000L, 0, 0x3, 0, 0, PATH_NONE, "");
        components(0x7ffff7dd0000L, 0x7ffff7df0000L, 0x2000, 0x5, (254 << 20) | 3, 99,
                "libc.so.6", "x86_64-linux-gnu", "lib", "usr", "/");
        trailer(5, 0);

        List<WalkedProcess> ps = VmaRecordDecoder.decode(records);
        assertEquals(1, ps.size());
        WalkedProcess p = ps.get(0);
        assertEquals(4242, p.tgid());
        assertEquals("cat", p.comm());
        assertEquals(0, p.error());
        assertFalse(p.truncated());
        assertFalse(p.dropped());
        List<Vma> v = p.vmas();
        assertEquals("555555554000-555555556000 r-xp 00000000 08:01 1234", v.get(0).toProcMapsLine().substring(0, 50));
        assertEquals("/usr/bin/cat", v.get(0).path());
        assertEquals("[heap]", v.get(1).path());
        assertEquals("rw-p", v.get(1).permissions().toString());
        assertEquals("[vdso]", v.get(2).path());
        assertEquals("[stack]", v.get(3).path());
        assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", v.get(4).path());
        assertEquals(254, v.get(4).deviceMajor());
        assertEquals(3, v.get(4).deviceMinor());
        assertEquals(0x2000, v.get(4).offset());
    }

    @Test
    void componentsThatNeverReachTheRootAreMarked() {
        header(1, 0);
        components(0x1000_0000L, 0x1000_1000L, 0, 0x5, 0, 7, "deep", "er");
        trailer(1, 0);
        assertEquals("…/er/deep", VmaRecordDecoder.decode(records).get(0).vmas().get(0).path());
    }

    @Test
    void packedNamesPrintAsDPathDoes() {
        header(1, 0);
        names(0x1000_0000L, 0, "libc.so.6", "x86_64-linux-gnu", "lib", "usr");
        names(0x1000_1000L, 0); // the root itself
        names(0x1000_2000L, PATH_F_DELETED, "gone.bin", "tmp");
        names(0x1000_3000L, 0, "n".repeat(255), "d");
        trailer(4, 0);
        List<Vma> v = VmaRecordDecoder.decode(records).get(0).vmas();
        assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", v.get(0).path());
        assertEquals("/", v.get(1).path());
        assertEquals("/tmp/gone.bin (deleted)", v.get(2).path());
        assertEquals("/d/" + "n".repeat(255), v.get(3).path());
        assertEquals(254, v.get(0).deviceMajor());
        assertEquals(77, v.get(0).inode());
    }

    @Test
    void theSameNamesDecodeToOnePathAndAnyOtherFlagOrNameToItsOwn() {
        header(1, 0);
        names(0x1000_0000L, 0, "libc.so.6", "lib");
        names(0x1000_1000L, 0, "libc.so.6", "lib");
        names(0x1000_2000L, PATH_F_DELETED, "libc.so.6", "lib");
        names(0x1000_3000L, 0, "libc.so.7", "lib");
        names(0x1000_4000L, 0, "libc.so.6", "lib");
        trailer(5, 0);
        List<Vma> v = VmaRecordDecoder.decode(records).get(0).vmas();
        assertSame(v.get(0).path(), v.get(1).path(), "decoded once, shared");
        assertSame(v.get(0).path(), v.get(4).path());
        assertEquals("/lib/libc.so.6", v.get(0).path());
        assertEquals("/lib/libc.so.6 (deleted)", v.get(2).path());
        assertEquals("/lib/libc.so.7", v.get(3).path());
    }

    @Test
    void aPathTheProgramCouldNotCompleteIsMarkedWhateverTheReason() {
        header(1, 0);
        names(0x1000_0000L, PATH_F_INCOMPLETE | PATH_F_TOO_LONG, "f", "bbb");
        names(0x1000_1000L, PATH_F_INCOMPLETE | PATH_F_TOO_DEEP, "leaf");
        names(0x1000_2000L, PATH_F_INCOMPLETE | PATH_F_READ_FAILED);
        names(0x1000_3000L, PATH_F_INCOMPLETE | PATH_F_READ_FAILED | PATH_F_DELETED, "x");
        trailer(4, 0);
        List<Vma> v = VmaRecordDecoder.decode(records).get(0).vmas();
        assertEquals("…/bbb/f", v.get(0).path());
        assertEquals("…/leaf", v.get(1).path());
        assertEquals("…", v.get(2).path());
        assertEquals("…/x (deleted)", v.get(3).path());
        assertTrue(v.stream().allMatch(x -> x.path().startsWith(VmaRecordDecoder.INCOMPLETE_MARK)));
    }

    @Test
    void dnameFormsAreRebuiltAndAnUnknownOneIsMarked() {
        header(1, 0);
        names(0x1000_0000L, PATH_F_DNAME_ANON, "[perf_event]");
        names(0x1000_1000L, PATH_F_DNAME_ANON, "bpf-map");
        names(0x1000_2000L, PATH_F_DNAME_SIMPLE, "memfd:mapsnap");
        names(0x1000_3000L, PATH_F_DNAME_SIMPLE, "SYSV00000000");
        names(0x1000_4000L, PATH_F_INCOMPLETE | PATH_F_DNAME_UNKNOWN, "dmabuf");
        names(0x1000_5000L, PATH_F_DNAME_SOCKET, ""); // its inode (77) names a socket, not its dentry name
        trailer(6, 0);
        List<Vma> v = VmaRecordDecoder.decode(records).get(0).vmas();
        assertEquals("anon_inode:[perf_event]", v.get(0).path());
        assertEquals("anon_inode:bpf-map", v.get(1).path());
        assertEquals("/memfd:mapsnap (deleted)", v.get(2).path());
        assertEquals("/SYSV00000000 (deleted)", v.get(3).path());
        assertEquals("…dmabuf", v.get(4).path());
        assertEquals("socket:[77]", v.get(5).path());
    }

    @Test
    void aFullPayloadOfNamesDecodesWhole() {
        // 16 names of 255 bytes, each with its NUL: exactly MAPSNAP_NAMES_MAX, a 4,096-character path.
        String[] leafFirst = new String[16];
        for (int i = 0; i < 16; i++) {
            leafFirst[i] = String.valueOf((char) ('a' + i)).repeat(255);
        }
        header(1, 0);
        names(0x1000_0000L, 0, leafFirst);
        trailer(1, 0);
        String path = VmaRecordDecoder.decode(records).get(0).vmas().get(0).path();
        assertEquals(NAMES_MAX, path.length());
        assertTrue(path.startsWith("/" + "p".repeat(255) + "/"), path.substring(0, 10));
    }

    @Test
    void malformedNamesAreRejected() {
        assertMalformed("4097 bytes", v -> v.putInt(V_PATH_LEN, NAMES_MAX + 1));
        assertMalformed("-1 bytes", v -> v.putInt(V_PATH_LEN, -1));
        assertMalformed("10 bytes in a 9-byte payload", v -> v.putInt(V_PATH_LEN, 10));
        assertMalformed("depth 3 but 2 path names", v -> v.putShort(V_DEPTH, (short) 3));
        assertMalformed("do not end with a NUL", v -> v.put(VMA_FIXED + 8, (byte) 'x'));
        assertMalformed("unknown path flags 0x200", v -> v.putShort(V_PATH_FLAGS, (short) 0x200));
        assertMalformed("inconsistent path flags 0x4 for 2 names",
                v -> v.putShort(V_PATH_FLAGS, (short) PATH_F_DNAME_ANON)); // a d_dname names one dentry
        assertMalformed("inconsistent path flags 0x40",
                v -> v.putShort(V_PATH_FLAGS, (short) PATH_F_TOO_LONG)); // a reason without INCOMPLETE
        assertMalformed("inconsistent path flags 0xc",
                v -> v.putShort(V_DEPTH, (short) 1).putInt(V_PATH_LEN, 5)
                        .putShort(V_PATH_FLAGS, (short) (PATH_F_DNAME_ANON | PATH_F_DNAME_SIMPLE)));
    }

    private void assertMalformed(String message, java.util.function.Consumer<ByteBuffer> damage) {
        records.clear();
        header(1, 0);
        names(0x1000_0000L, 0, "leaf", "dir"); // 9 bytes of names
        damage.accept(ByteBuffer.wrap(records.get(1)).order(ByteOrder.nativeOrder()));
        trailer(1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmaRecordDecoder.decode(records));
        assertTrue(e.getMessage().contains("record 1: ") && e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void anErrorHeaderHasNoVmas() {
        header(7, -16);
        trailer(0, 0);
        WalkedProcess p = VmaRecordDecoder.decode(records).get(0);
        assertEquals(-16, p.error());
        assertTrue(p.vmas().isEmpty());
    }

    @Test
    void truncationAndDropsAreCarried() {
        header(7, 0);
        vma(0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        trailer(1, SNAPSHOT_TRUNCATED);
        assertTrue(VmaRecordDecoder.decode(records).get(0).truncated());

        records.clear();
        header(7, 0);
        vma(0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        // The trailer was dropped by a full ring buffer.
        WalkedProcess p = VmaRecordDecoder.decode(records).get(0);
        assertTrue(p.dropped());
        assertEquals(1, p.vmas().size());
    }

    @Test
    void inconsistentRecordsAreRejectedWithTheirIndex() {
        header(7, 0);
        vma(0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        trailer(2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmaRecordDecoder.decode(records));
        assertTrue(e.getMessage().contains("record 2: trailer of tgid 7 counts 2 VMAs but 1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> VmaRecordDecoder.decode(List.of(new byte[] {1, 0})));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> VmaRecordDecoder.decode(List.of(new byte[HEADER_SIZE])));
        assertTrue(e.getMessage().contains("expected a snapshot header"), e.getMessage());
    }

    @Test
    void interleavedWalksAreRegroupedByWalkId() {
        header(10, 0);
        tagLast(1);
        header(20, 0);
        tagLast(2);
        vma(0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        tagLast(2);
        vma(0x2000_0000L, 0x2000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        tagLast(1);
        vma(0x3000_0000L, 0x3000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        tagLast(1);
        trailer(1, 0);
        tagLast(2);
        // Walk 3's header was lost: its records are orphans, counted, not misattributed.
        vma(0x4000_0000L, 0x4000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        tagLast(3);
        trailer(2, 0);
        tagLast(1);
        List<WalkedProcess> ps = new ArrayList<>();
        VmaRecordDecoder decoder = new VmaRecordDecoder(ps::add);
        records.forEach(r -> decoder.accept(MemorySegment.ofArray(r)));
        decoder.finish();
        assertEquals(List.of(20, 10), ps.stream().map(WalkedProcess::tgid).toList());
        assertEquals(0x1000_0000L, ps.get(0).vmas().get(0).start());
        assertEquals(List.of(0x2000_0000L, 0x3000_0000L), ps.get(1).vmas().stream().map(Vma::start).toList());
        assertEquals(1, decoder.orphanRecords());
        assertFalse(ps.get(0).dropped() || ps.get(1).dropped());
    }

    @Test
    void aWalkWithoutTrailerIsDeliveredAsDroppedWhenItsIdIsReused() {
        header(10, 0);
        tagLast(5);
        header(11, 0);
        tagLast(5);
        trailer(0, 0);
        tagLast(5);
        List<WalkedProcess> ps = new ArrayList<>();
        VmaRecordDecoder decoder = new VmaRecordDecoder(ps::add);
        records.forEach(r -> decoder.accept(MemorySegment.ofArray(r)));
        assertEquals(2, ps.size());
        assertTrue(ps.get(0).dropped());
        assertEquals(10, ps.get(0).tgid());
        assertFalse(ps.get(1).dropped());
    }

    /** Stamps walk id {@code walk} into the last record's kind word, as collectors do. */
    private void tagLast(int walk) {
        ByteBuffer b = ByteBuffer.wrap(records.get(records.size() - 1)).order(ByteOrder.nativeOrder());
        b.putInt(0, b.getInt(0) | walk << REC_KIND_BITS);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private void header(int tgid, int error) {
        ByteBuffer h = buffer(HEADER_SIZE);
        h.putInt(0, REC_HEADER).putInt(H_TGID, tgid).putInt(H_PID, tgid).putInt(H_ERROR, error)
                .putLong(H_START_BOOTTIME, 123_000_000_000L).putLong(H_START_BRK, START_BRK)
                .putLong(H_BRK, BRK).putLong(H_START_STACK, START_STACK);
        h.put(H_COMM, "cat".getBytes(StandardCharsets.UTF_8));
        records.add(h.array());
    }

    private ByteBuffer vmaFixed(int payload, long start, long end, long pgoff, long flags, int dev, long inode,
            int pathKind) {
        ByteBuffer v = buffer(VMA_FIXED + payload);
        v.putInt(0, REC_VMA).putInt(V_DEV, dev).putLong(V_START, start).putLong(V_END, end)
                .putLong(V_PGOFF, pgoff).putLong(V_INODE, inode).putLong(V_FLAGS, flags)
                .putInt(V_PATH_KIND, pathKind).putInt(V_SIZE, VMA_FIXED + payload);
        return v;
    }

    private void vma(long start, long end, long pgoff, long flags, int dev, long inode, int pathKind, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        int payload = pathKind == PATH_NONE ? 0 : p.length + 1;
        ByteBuffer v = vmaFixed(payload, start, end, pgoff, flags, dev, inode, pathKind);
        v.putInt(V_PATH_LEN, payload);
        v.put(V_PATH, p);
        records.add(v.array());
    }

    private void components(long start, long end, long pgoff, long flags, int dev, long inode, String... leafFirst) {
        ByteBuffer v = vmaFixed(leafFirst.length * NAME_MAX, start, end, pgoff, flags, dev, inode, PATH_COMPONENTS);
        v.putShort(V_DEPTH, (short) leafFirst.length);
        for (int i = 0; i < leafFirst.length; i++) {
            v.put(V_NAMES + i * NAME_MAX, leafFirst[i].getBytes(StandardCharsets.UTF_8));
        }
        records.add(v.array());
    }

    /** A NAMES record of one page at {@code start}: the names packed leaf first, each NUL-terminated. */
    private void names(long start, int pathFlags, String... leafFirst) {
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        for (String n : leafFirst) {
            packed.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            packed.write(0);
        }
        byte[] p = packed.toByteArray();
        ByteBuffer v = vmaFixed(p.length, start, start + 0x1000, 0, 0x5, (254 << 20) | 3, 77, PATH_NAMES);
        v.putInt(V_PATH_LEN, p.length).putShort(V_DEPTH, (short) leafFirst.length)
                .putShort(V_PATH_FLAGS, (short) pathFlags);
        v.put(V_PACKED_NAMES, p);
        records.add(v.array());
    }

    private void trailer(int count, int flags) {
        ByteBuffer t = buffer(TRAILER_SIZE);
        t.putInt(0, REC_TRAILER).putInt(T_VMA_COUNT, count).putInt(T_FLAGS, flags);
        records.add(t.array());
    }
}
