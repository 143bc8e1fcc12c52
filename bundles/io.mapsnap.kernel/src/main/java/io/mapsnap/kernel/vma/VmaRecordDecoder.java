package io.mapsnap.kernel.vma;

import static io.mapsnap.kernel.vma.VmaRecordLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;

/**
 * Reads the stream a walker's iterator produced: for each process a header, its VMA records and a trailer.
 * The bytes come from the kernel but are still checked: a short or inconsistent stream is an
 * {@link IllegalArgumentException} naming the offset, never a half-decoded snapshot.
 */
public final class VmaRecordDecoder {
    private VmaRecordDecoder() {
    }

    /** Every process in the stream, in the order the walker wrote them. */
    public static List<WalkedProcess> decode(byte[] stream) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.nativeOrder());
        List<WalkedProcess> processes = new ArrayList<>();
        while (b.hasRemaining()) {
            processes.add(decodeOne(b));
        }
        return processes;
    }

    private static WalkedProcess decodeOne(ByteBuffer b) {
        int h = expect(b, REC_HEADER, HEADER_SIZE, "snapshot header");
        int tgid = b.getInt(h + H_TGID);
        long startBrk = b.getLong(h + H_START_BRK);
        long brk = b.getLong(h + H_BRK);
        long startStack = b.getLong(h + H_START_STACK);
        List<Vma> vmas = new ArrayList<>();
        while (b.remaining() >= 4 && b.getInt(b.position()) == REC_VMA) {
            int v = expect(b, REC_VMA, VMA_SIZE, "VMA record");
            vmas.add(vma(b, v, startBrk, brk, startStack));
        }
        int t = expect(b, REC_TRAILER, TRAILER_SIZE, "snapshot trailer");
        int count = b.getInt(t + T_VMA_COUNT);
        if (count != vmas.size()) {
            throw new IllegalArgumentException("offset " + t + ": trailer of tgid " + tgid + " counts " + count
                    + " VMAs but " + vmas.size() + " records precede it");
        }
        return new WalkedProcess(tgid, cString(b, h + H_COMM, COMM_LEN), b.getLong(h + H_START_BOOTTIME),
                b.getLong(h + H_TAKEN_NS), b.getLong(h + H_MM), b.getInt(h + H_MAP_COUNT), b.getInt(h + H_ERROR),
                (b.getInt(t + T_FLAGS) & SNAPSHOT_TRUNCATED) != 0, vmas);
    }

    /** Consumes one record of the given kind and size; returns its offset. */
    private static int expect(ByteBuffer b, int kind, int size, String what) {
        int at = b.position();
        if (b.remaining() < size) {
            throw new IllegalArgumentException("offset " + at + ": stream ends " + b.remaining() + " bytes into a "
                    + size + "-byte " + what);
        }
        int found = b.getInt(at);
        if (found != kind) {
            throw new IllegalArgumentException("offset " + at + ": expected a " + what + " (kind " + kind
                    + "), found kind " + found);
        }
        b.position(at + size);
        return at;
    }

    private static Vma vma(ByteBuffer b, int off, long startBrk, long brk, long startStack) {
        long start = b.getLong(off + V_START);
        long end = b.getLong(off + V_END);
        long flags = b.getLong(off + V_FLAGS);
        int dev = b.getInt(off + V_DEV);
        int kind = b.getInt(off + V_PATH_KIND);
        int pathLen = b.getInt(off + V_PATH_LEN);
        String path = switch (kind) {
            case PATH_FULL, PATH_SPECIAL -> cString(b, off + V_PATH, Math.min(Math.max(pathLen, 0), PATH_MAX));
            case PATH_COMPONENTS -> joinComponents(b, off, b.getInt(off + V_DEPTH));
            case PATH_ERROR -> "[unresolved path: error " + pathLen + "]";
            case PATH_NONE -> anonymousName(start, end, startBrk, brk, startStack);
            default -> throw new IllegalArgumentException("offset " + (off + V_PATH_KIND) + ": unknown path kind "
                    + kind);
        };
        // Kernel dev_t: 12-bit major above a 20-bit minor.
        return new Vma(start, end, b.getLong(off + V_PGOFF), Permissions.fromVmFlags(flags), dev >>> 20,
                dev & 0xfffff, b.getLong(off + V_INODE), path, null);
    }

    /** /proc's names for the initial heap and stack (fs/proc/task_mmu.c, vma_is_initial_heap/stack). */
    static String anonymousName(long start, long end, long startBrk, long brk, long startStack) {
        if (Long.compareUnsigned(start, brk) <= 0 && Long.compareUnsigned(end, startBrk) >= 0 && brk != 0) {
            return "[heap]";
        }
        if (Long.compareUnsigned(start, startStack) <= 0 && Long.compareUnsigned(end, startStack) >= 0) {
            return "[stack]";
        }
        return "";
    }

    /** Dentry names leaf first, up to the root (whose name is "/"). */
    private static String joinComponents(ByteBuffer b, int off, int depth) {
        List<String> names = new ArrayList<>();
        boolean reachedRoot = false;
        for (int i = 0; i < Math.min(depth, PATH_DEPTH); i++) {
            String name = cString(b, off + V_NAMES + i * NAME_MAX, NAME_MAX);
            if (name.equals("/")) {
                reachedRoot = true;
                break;
            }
            names.add(name);
        }
        StringBuilder path = new StringBuilder(reachedRoot ? "" : "…");
        for (int i = names.size() - 1; i >= 0; i--) {
            path.append('/').append(names.get(i));
        }
        return path.toString();
    }

    private static String cString(ByteBuffer b, int off, int max) {
        int len = 0;
        while (len < max && b.get(off + len) != 0) {
            len++;
        }
        byte[] bytes = new byte[len];
        b.get(off, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
