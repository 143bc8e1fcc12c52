package io.mapsnap.kernel.vma;

import static io.mapsnap.kernel.vma.VmaRecordLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;

/** Streams laid out byte for byte as mapsnap_records.h defines them. */
class VmaRecordDecoderTest {
    private static final long START_BRK = 0x555555600000L;
    private static final long BRK = 0x555555621000L;
    private static final long START_STACK = 0x7ffffffde100L;

    @Test
    void decodesHeaderVmasAndTrailer() {
        ByteBuffer b = buffer();
        header(b, 4242, 0);
        vma(b, 0x555555554000L, 0x555555556000L, 0, 0x5, (8 << 20) | 1, 1234, PATH_FULL, "/usr/bin/cat");
        vma(b, START_BRK, BRK, 0, 0x3, 0, 0, PATH_NONE, "");
        vma(b, 0x7ffff7fc1000L, 0x7ffff7fc3000L, 0, 0x5, 0, 0, PATH_SPECIAL, "[vdso]");
        vma(b, 0x7ffffffde000L, 0x7ffffffff000L, 0, 0x3, 0, 0, PATH_NONE, "");
        components(b, 0x7ffff7dd0000L, 0x7ffff7df0000L, 0x2000, 0x5, (254 << 20) | 3, 99,
                "libc.so.6", "x86_64-linux-gnu", "lib", "usr", "/");
        trailer(b, 5, 0);

        List<WalkedProcess> ps = VmaRecordDecoder.decode(bytes(b));
        assertEquals(1, ps.size());
        WalkedProcess p = ps.get(0);
        assertEquals(4242, p.tgid());
        assertEquals("cat", p.comm());
        assertEquals(0, p.error());
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
    void anErrorHeaderHasNoVmas() {
        ByteBuffer b = buffer();
        header(b, 7, -16);
        trailer(b, 0, 0);
        WalkedProcess p = VmaRecordDecoder.decode(bytes(b)).get(0);
        assertEquals(-16, p.error());
        assertTrue(p.vmas().isEmpty());
    }

    @Test
    void truncationFlagIsCarried() {
        ByteBuffer b = buffer();
        header(b, 7, 0);
        vma(b, 0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        trailer(b, 1, SNAPSHOT_TRUNCATED);
        assertTrue(VmaRecordDecoder.decode(bytes(b)).get(0).truncated());
    }

    @Test
    void inconsistentStreamsAreRejectedWithTheOffset() {
        ByteBuffer b = buffer();
        header(b, 7, 0);
        vma(b, 0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        trailer(b, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmaRecordDecoder.decode(bytes(b)));
        assertTrue(e.getMessage().contains("counts 2 VMAs but 1"), e.getMessage());

        ByteBuffer cut = buffer();
        header(cut, 7, 0);
        vma(cut, 0x1000_0000L, 0x1000_1000L, 0, 0x1, 0, 0, PATH_NONE, "");
        byte[] all = bytes(cut);
        byte[] truncated = java.util.Arrays.copyOf(all, all.length - 100);
        e = assertThrows(IllegalArgumentException.class, () -> VmaRecordDecoder.decode(truncated));
        assertTrue(e.getMessage().startsWith("offset " + HEADER_SIZE + ":"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> VmaRecordDecoder.decode(new byte[] {9, 0, 0, 0}));
        assertTrue(e.getMessage().contains("stream ends"), e.getMessage());
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    private static void header(ByteBuffer b, int tgid, int error) {
        int h = b.position();
        b.putInt(h, REC_HEADER).putInt(h + H_TGID, tgid).putInt(h + H_PID, tgid).putInt(h + H_ERROR, error)
                .putLong(h + H_START_BOOTTIME, 123_000_000_000L).putLong(h + H_START_BRK, START_BRK)
                .putLong(h + H_BRK, BRK).putLong(h + H_START_STACK, START_STACK);
        b.put(h + H_COMM, "cat".getBytes(StandardCharsets.UTF_8));
        b.position(h + HEADER_SIZE);
    }

    private static void vma(ByteBuffer b, long start, long end, long pgoff, long flags, int dev, long inode,
            int pathKind, String path) {
        int v = b.position();
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        b.putInt(v, REC_VMA).putInt(v + V_DEV, dev).putLong(v + V_START, start).putLong(v + V_END, end)
                .putLong(v + V_PGOFF, pgoff).putLong(v + V_INODE, inode).putLong(v + V_FLAGS, flags)
                .putInt(v + V_PATH_KIND, pathKind).putInt(v + V_PATH_LEN, p.length + 1);
        b.put(v + V_PATH, p);
        b.position(v + VMA_SIZE);
    }

    private static void components(ByteBuffer b, long start, long end, long pgoff, long flags, int dev, long inode,
            String... leafFirst) {
        int v = b.position();
        vma(b, start, end, pgoff, flags, dev, inode, PATH_COMPONENTS, "");
        b.putInt(v + V_DEPTH, leafFirst.length);
        for (int i = 0; i < leafFirst.length; i++) {
            b.put(v + V_NAMES + i * NAME_MAX, leafFirst[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void trailer(ByteBuffer b, int count, int flags) {
        int t = b.position();
        b.putInt(t, REC_TRAILER).putInt(t + T_VMA_COUNT, count).putInt(t + T_FLAGS, flags);
        b.position(t + TRAILER_SIZE);
    }
}
