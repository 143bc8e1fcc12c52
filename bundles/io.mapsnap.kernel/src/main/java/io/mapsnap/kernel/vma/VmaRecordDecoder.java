package io.mapsnap.kernel.vma;

import static io.mapsnap.kernel.vma.VmaRecordLayout.*;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;

/**
 * Reads what a walker emitted: for each walk a header record, its VMA records and a trailer record, each delivered
 * as one ring buffer record. Collectors walk on several CPUs at once, so records of different walks interleave;
 * each carries its walk id above the kind, and this decoder regroups them. The bytes come from the kernel but are
 * still checked: a short or inconsistent record is an {@link IllegalArgumentException} naming it, never a
 * half-decoded snapshot; a walk whose trailer never came is delivered flagged as dropped.
 */
public final class VmaRecordDecoder {
    private final Consumer<WalkedProcess> sink;
    // Walks whose header arrived and whose trailer has not, by walk id, in header order.
    private final Map<Integer, PendingWalk> pending = new LinkedHashMap<>();
    private final DecodedPaths decodedPaths = new DecodedPaths();
    private long index;
    private long orphans;

    /** A decoder for a stream of records; each completed walk goes to {@code sink}. */
    public VmaRecordDecoder(Consumer<WalkedProcess> sink) {
        this.sink = sink;
    }

    /** Every walk in the records, in the order the walks completed (one walk at a time: the order they ran). */
    public static List<WalkedProcess> decode(List<byte[]> records) {
        List<WalkedProcess> processes = new ArrayList<>();
        VmaRecordDecoder decoder = new VmaRecordDecoder(processes::add);
        for (byte[] r : records) {
            decoder.accept(MemorySegment.ofArray(r));
        }
        decoder.finish();
        return processes;
    }

    /**
     * Takes the next record, which may be a view into a ring buffer (a {@code RingBufferConsumer}'s): everything
     * kept of it is copied out before this returns.
     */
    public void accept(MemorySegment record) {
        long i = index++;
        if (record.byteSize() < 4) {
            throw new IllegalArgumentException("record " + i + ": " + record.byteSize() + " bytes, too short for a kind");
        }
        ByteBuffer b = record.asByteBuffer().order(ByteOrder.nativeOrder());
        int word = b.getInt(0);
        int kind = word & REC_KIND_MASK;
        int walk = word >>> REC_KIND_BITS;
        switch (kind) {
            case REC_HEADER -> {
                check(b, i, HEADER_SIZE, "snapshot header");
                PendingWalk previous = pending.remove(walk);
                if (previous != null) {
                    // Its trailer was lost to a full ring buffer: deliver what came, flagged.
                    sink.accept(previous.complete(SNAPSHOT_DROPPED));
                }
                pending.put(walk, new PendingWalk(b));
            }
            case REC_VMA -> {
                check(b, i, VMA_FIXED, "VMA record");
                PendingWalk w = pending.get(walk);
                if (w == null) {
                    orphans++; // its header was lost: the walk is already counted as dropped by the program
                    return;
                }
                w.vmas.add(vma(b, i, w.startBrk, w.brk, w.startStack, decodedPaths));
            }
            case REC_TRAILER -> {
                check(b, i, TRAILER_SIZE, "snapshot trailer");
                PendingWalk w = pending.remove(walk);
                if (w == null) {
                    orphans++;
                    return;
                }
                int count = b.getInt(T_VMA_COUNT);
                if (count != w.vmas.size()) {
                    throw new IllegalArgumentException("record " + i + ": trailer of tgid " + w.tgid + " counts "
                            + count + " VMAs but " + w.vmas.size() + " records precede it");
                }
                sink.accept(w.complete(b.getInt(T_FLAGS)));
            }
            default -> {
                if (pending.isEmpty() && index == 1) {
                    throw new IllegalArgumentException("record " + i + ": expected a snapshot header (kind "
                            + REC_HEADER + "), found kind " + kind);
                }
                throw new IllegalArgumentException("record " + i + ": unknown record kind " + kind);
            }
        }
    }

    /** Delivers the walks still waiting for their trailer, flagged as dropped: the stream ended. */
    public void finish() {
        for (PendingWalk w : pending.values()) {
            sink.accept(w.complete(SNAPSHOT_DROPPED));
        }
        pending.clear();
    }

    /** VMA and trailer records whose header never came (lost to a full ring buffer). */
    public long orphanRecords() {
        return orphans;
    }

    private static void check(ByteBuffer b, long index, int minSize, String what) {
        if (b.capacity() < minSize) {
            throw new IllegalArgumentException("record " + index + ": " + b.capacity() + " bytes, too short for a "
                    + minSize + "-byte " + what);
        }
    }

    /** A walk between its header and its trailer. */
    private static final class PendingWalk {
        final int tgid;
        final int pid;
        final String comm;
        final long startBoottime;
        final long takenNs;
        final long mm;
        final int mapCount;
        final int trigger;
        final int error;
        final long startBrk;
        final long brk;
        final long startStack;
        final List<Vma> vmas = new ArrayList<>();

        PendingWalk(ByteBuffer h) {
            tgid = h.getInt(H_TGID);
            pid = h.getInt(H_PID);
            comm = cString(h, H_COMM, COMM_LEN);
            startBoottime = h.getLong(H_START_BOOTTIME);
            takenNs = h.getLong(H_TAKEN_NS);
            mm = h.getLong(H_MM);
            mapCount = h.getInt(H_MAP_COUNT);
            trigger = h.getInt(H_TRIGGER);
            error = h.getInt(H_ERROR);
            startBrk = h.getLong(H_START_BRK);
            brk = h.getLong(H_BRK);
            startStack = h.getLong(H_START_STACK);
        }

        WalkedProcess complete(int flags) {
            return new WalkedProcess(tgid, pid, comm, startBoottime, takenNs, mm, mapCount, trigger, error,
                    (flags & SNAPSHOT_TRUNCATED) != 0, (flags & SNAPSHOT_DROPPED) != 0, vmas);
        }
    }

    private static Vma vma(ByteBuffer b, long index, long startBrk, long brk, long startStack,
            DecodedPaths decoded) {
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
            case PATH_COMPONENTS -> placed(dev, joinComponents(b, Math.min(Short.toUnsignedInt(b.getShort(V_DEPTH)),
                    payload / NAME_MAX)));
            case PATH_NAMES -> packedNames(b, index, pathLen, Short.toUnsignedInt(b.getShort(V_DEPTH)),
                    Short.toUnsignedInt(b.getShort(V_PATH_FLAGS)), payload, b.getLong(V_INODE), decoded);
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

    /** A whole path from its filesystem's root, under the mount point that shows it here (MountTable). */
    private static String placed(int dev, String fsPath) {
        return fsPath.startsWith(INCOMPLETE_MARK) ? fsPath : MountTable.place(dev >>> 20, dev & 0xfffff, fsPath);
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
        StringBuilder path = new StringBuilder(reachedRoot ? "" : INCOMPLETE_MARK);
        for (int i = names.size() - 1; i >= 0; i--) {
            path.append('/').append(names.get(i));
        }
        return path.toString();
    }

    /** The prefix of a path that is not what the kernel would print: names are missing before what follows. */
    static final String INCOMPLETE_MARK = "…";

    /**
     * A NAMES record's path, as d_path prints it: the packed names (leaf first, each NUL-terminated) joined root
     * first, or the d_dname form its flags name. An incomplete path starts with {@link #INCOMPLETE_MARK}.
     */
    private static String packedNames(ByteBuffer b, long index, int pathLen, int depth, int flags, int payload,
            long inode, DecodedPaths decoded) {
        if (pathLen < 0 || pathLen > NAMES_MAX || pathLen > payload) {
            throw new IllegalArgumentException("record " + index + ": path names of " + pathLen + " bytes in a "
                    + payload + "-byte payload (at most " + NAMES_MAX + ")");
        }
        // The same bytes, depth, flags and inode decode to the same path: checked and built once.
        int shape = depth << 16 | flags;
        String known = decoded.find(b, V_PACKED_NAMES, pathLen, inode, shape);
        if (known != null) {
            return known;
        }
        String path = checkedPackedNames(b, index, pathLen, depth, flags, inode);
        decoded.keep(b, V_PACKED_NAMES, pathLen, inode, shape, path);
        return path;
    }

    private static String checkedPackedNames(ByteBuffer b, long index, int pathLen, int depth, int flags,
            long inode) {
        if ((flags & ~PATH_F_KNOWN) != 0) {
            throw new IllegalArgumentException("record " + index + ": unknown path flags 0x"
                    + Integer.toHexString(flags));
        }
        if (pathLen > 0 && b.get(V_PACKED_NAMES + pathLen - 1) != 0) {
            throw new IllegalArgumentException("record " + index + ": path names do not end with a NUL");
        }
        List<String> names = new ArrayList<>(depth);
        int start = 0;
        for (int i = 0; i < pathLen; i++) {
            if (b.get(V_PACKED_NAMES + i) == 0) {
                byte[] name = new byte[i - start];
                b.get(V_PACKED_NAMES + start, name);
                names.add(new String(name, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (names.size() != depth) {
            throw new IllegalArgumentException("record " + index + ": depth " + depth + " but " + names.size()
                    + " path names");
        }
        int dname = flags & (PATH_F_DNAME_ANON | PATH_F_DNAME_SIMPLE | PATH_F_DNAME_SOCKET | PATH_F_DNAME_UNKNOWN);
        boolean incomplete = (flags & PATH_F_INCOMPLETE) != 0;
        if (Integer.bitCount(dname) > 1 || (dname != 0 && depth != 1)
                || ((flags & (PATH_F_DNAME_UNKNOWN | PATH_F_TOO_DEEP | PATH_F_TOO_LONG | PATH_F_READ_FAILED)) != 0
                        && !incomplete)) {
            throw new IllegalArgumentException("record " + index + ": inconsistent path flags 0x"
                    + Integer.toHexString(flags) + " for " + depth + " names");
        }
        // The d_dname callbacks the program recognised (fs/anon_inodes.c, fs/d_path.c's simple_dname, net/socket.c).
        if (dname == PATH_F_DNAME_ANON) {
            return "anon_inode:" + names.get(0);
        } else if (dname == PATH_F_DNAME_SIMPLE) {
            return "/" + names.get(0) + " (deleted)";
        } else if (dname == PATH_F_DNAME_SOCKET) {
            return "socket:[" + Long.toUnsignedString(inode) + "]";
        } else if (dname == PATH_F_DNAME_UNKNOWN) {
            return INCOMPLETE_MARK + names.get(0); // the dentry's name, not what its d_dname would print
        }
        StringBuilder path = new StringBuilder(incomplete ? INCOMPLETE_MARK : "");
        for (int i = names.size() - 1; i >= 0; i--) {
            path.append('/').append(names.get(i));
        }
        if (names.isEmpty() && !incomplete) {
            path.append('/');
        }
        if ((flags & PATH_F_DELETED) != 0) {
            path.append(" (deleted)");
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
