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
 * Reads what a walker emitted: for each process a header record, its VMA records and a trailer record, each
 * delivered as one ring buffer record. The bytes come from the kernel but are still checked: a short or
 * inconsistent sequence is an {@link IllegalArgumentException} naming the record, never a half-decoded snapshot.
 */
public final class VmaRecordDecoder {
    private VmaRecordDecoder() {
    }

    /** Every process in the records, in the order the walker wrote them. */
    public static List<WalkedProcess> decode(List<byte[]> records) {
        List<WalkedProcess> processes = new ArrayList<>();
        int i = 0;
        while (i < records.size()) {
            i = decodeOne(records, i, processes);
        }
        return processes;
    }

    private static int decodeOne(List<byte[]> records, int first, List<WalkedProcess> out) {
        ByteBuffer h = record(records, first, REC_HEADER, HEADER_SIZE, "snapshot header");
        int tgid = h.getInt(H_TGID);
        long startBrk = h.getLong(H_START_BRK);
        long brk = h.getLong(H_BRK);
        long startStack = h.getLong(H_START_STACK);
        List<Vma> vmas = new ArrayList<>();
        int i = first + 1;
        while (i < records.size() && kind(records.get(i)) == REC_VMA) {
            ByteBuffer v = record(records, i, REC_VMA, VMA_FIXED, "VMA record");
            vmas.add(vma(v, i, startBrk, brk, startStack));
            i++;
        }
        // A missing trailer means the ring buffer dropped it: the snapshot is incomplete, say so.
        boolean trailer = i < records.size() && kind(records.get(i)) == REC_TRAILER;
        int flags = SNAPSHOT_DROPPED;
        if (trailer) {
            ByteBuffer t = record(records, i, REC_TRAILER, TRAILER_SIZE, "snapshot trailer");
            flags = t.getInt(T_FLAGS);
            int count = t.getInt(T_VMA_COUNT);
            if (count != vmas.size()) {
                throw new IllegalArgumentException("record " + i + ": trailer of tgid " + tgid + " counts " + count
                        + " VMAs but " + vmas.size() + " records precede it");
            }
            i++;
        }
        out.add(new WalkedProcess(tgid, cString(h, H_COMM, COMM_LEN), h.getLong(H_START_BOOTTIME),
                h.getLong(H_TAKEN_NS), h.getLong(H_MM), h.getInt(H_MAP_COUNT), h.getInt(H_ERROR),
                (flags & SNAPSHOT_TRUNCATED) != 0, (flags & SNAPSHOT_DROPPED) != 0, vmas));
        return i;
    }

    private static int kind(byte[] record) {
        return record.length < 4 ? -1 : ByteBuffer.wrap(record).order(ByteOrder.nativeOrder()).getInt(0);
    }

    private static ByteBuffer record(List<byte[]> records, int index, int kind, int minSize, String what) {
        byte[] r = records.get(index);
        if (r.length < minSize) {
            throw new IllegalArgumentException("record " + index + ": " + r.length + " bytes, too short for a "
                    + minSize + "-byte " + what);
        }
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.nativeOrder());
        if (b.getInt(0) != kind) {
            throw new IllegalArgumentException("record " + index + ": expected a " + what + " (kind " + kind
                    + "), found kind " + b.getInt(0));
        }
        return b;
    }

    private static Vma vma(ByteBuffer b, int index, long startBrk, long brk, long startStack) {
        int off = 0;
        long start = b.getLong(off + V_START);
        long end = b.getLong(off + V_END);
        long flags = b.getLong(off + V_FLAGS);
        int dev = b.getInt(off + V_DEV);
        int kind = b.getInt(off + V_PATH_KIND);
        int pathLen = b.getInt(off + V_PATH_LEN);
        int payload = b.capacity() - VMA_FIXED;
        String path = switch (kind) {
            case PATH_FULL, PATH_SPECIAL -> cString(b, V_PATH, Math.min(Math.min(Math.max(pathLen, 0), PATH_MAX),
                    payload));
            case PATH_COMPONENTS -> joinComponents(b, Math.min(b.getInt(V_DEPTH), payload / NAME_MAX));
            case PATH_ERROR -> "[unresolved path: error " + pathLen + "]";
            case PATH_NONE -> anonymousName(start, end, startBrk, brk, startStack);
            default -> throw new IllegalArgumentException("record " + index + ": unknown path kind " + kind);
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
    private static String joinComponents(ByteBuffer b, int depth) {
        List<String> names = new ArrayList<>();
        boolean reachedRoot = false;
        for (int i = 0; i < Math.min(depth, PATH_DEPTH); i++) {
            String name = cString(b, V_NAMES + i * NAME_MAX, NAME_MAX);
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
        max = Math.min(max, b.capacity() - off);
        while (len < max && b.get(off + len) != 0) {
            len++;
        }
        byte[] bytes = new byte[len];
        b.get(off, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
