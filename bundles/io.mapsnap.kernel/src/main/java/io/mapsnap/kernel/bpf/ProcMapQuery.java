package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/**
 * Binary queries of a process's memory map: the PROCMAP_QUERY ioctl on an open /proc/PID/maps (kernel 6.11+,
 * include/uapi/linux/fs.h). One syscall per VMA; on kernels without it the ioctl fails with ENOTTY.
 *
 * <p>Differences from the text: {@code [vsyscall]} is not a VMA of the mm (it is the gate area), so queries never
 * return it.
 */
public final class ProcMapQuery implements AutoCloseable {
    public static final int READABLE = 0x01;
    public static final int WRITABLE = 0x02;
    public static final int EXECUTABLE = 0x04;
    public static final int SHARED = 0x08;
    /** Query flag: return the VMA covering the address or, if none, the next one above it. */
    public static final int COVERING_OR_NEXT_VMA = 0x10;
    /** Query flag: only file-backed VMAs. */
    public static final int FILE_BACKED_VMA = 0x20;

    // struct procmap_query (6.11 uapi), 104 bytes.
    private static final int SIZE = 104;
    private static final long QUERY_FLAGS = 8;
    private static final long QUERY_ADDR = 16;
    private static final long VMA_START = 24;
    private static final long VMA_END = 32;
    private static final long VMA_FLAGS = 40;
    private static final long VMA_PAGE_SIZE = 48;
    private static final long VMA_OFFSET = 56;
    private static final long INODE = 64;
    private static final long DEV_MAJOR = 72;
    private static final long DEV_MINOR = 76;
    private static final long VMA_NAME_SIZE = 80;
    private static final long BUILD_ID_SIZE = 84;
    private static final long VMA_NAME_ADDR = 88;
    /** _IOWR('f', 17, struct procmap_query) = 3 << 30 | 104 << 16 | 'f' << 8 | 17. */
    public static final long PROCMAP_QUERY = (3L << 30) | ((long) SIZE << 16) | ('f' << 8) | 17;
    private static final int O_RDONLY = 0;
    private static final int NAME_MAX = 4096;

    private final Syscalls sys;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment query = arena.allocate(SIZE, 8);
    private final MemorySegment name = arena.allocate(NAME_MAX);
    private int fd;

    private ProcMapQuery(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    /** Opens /proc/PID/maps of {@code pid} (needs ptrace-read access to that process, like the text). */
    public static ProcMapQuery open(long pid) throws BpfException {
        Syscalls sys = Syscalls.get();
        return new ProcMapQuery(sys, sys.open("/proc/" + pid + "/maps", O_RDONLY));
    }

    /**
     * The VMA for {@code address} under {@code queryFlags} ({@link #COVERING_OR_NEXT_VMA}, {@link #FILE_BACKED_VMA},
     * or permission bits that must be present); empty when there is none (ENOENT).
     */
    public synchronized Optional<ProcMapEntry> query(long address, int queryFlags) throws BpfException {
        if (fd < 0) {
            throw new IllegalStateException("closed");
        }
        query.fill((byte) 0);
        query.set(JAVA_LONG, 0, SIZE);
        query.set(JAVA_LONG, QUERY_FLAGS, queryFlags);
        query.set(JAVA_LONG, QUERY_ADDR, address);
        query.set(JAVA_INT, VMA_NAME_SIZE, NAME_MAX);
        query.set(JAVA_INT, BUILD_ID_SIZE, 0);
        query.set(JAVA_LONG, VMA_NAME_ADDR, name.address());
        try {
            sys.ioctl(fd, PROCMAP_QUERY, query);
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw new BpfException("ioctl(PROCMAP_QUERY)", e.errno());
        }
        int nameSize = query.get(JAVA_INT, VMA_NAME_SIZE);
        String vmaName = nameSize > 0 ? name.getString(0) : "";
        return Optional.of(new ProcMapEntry(query.get(JAVA_LONG, VMA_START), query.get(JAVA_LONG, VMA_END),
                (int) query.get(JAVA_LONG, VMA_FLAGS), query.get(JAVA_LONG, VMA_PAGE_SIZE),
                query.get(JAVA_LONG, VMA_OFFSET), query.get(JAVA_LONG, INODE), query.get(JAVA_INT, DEV_MAJOR),
                query.get(JAVA_INT, DEV_MINOR), vmaName));
    }

    /** Every VMA in address order (COVERING_OR_NEXT_VMA from 0, then from each end). */
    public List<ProcMapEntry> all() throws BpfException {
        List<ProcMapEntry> out = new ArrayList<>();
        long addr = 0;
        while (true) {
            Optional<ProcMapEntry> e = query(addr, COVERING_OR_NEXT_VMA);
            if (e.isEmpty()) {
                return out;
            }
            out.add(e.get());
            addr = e.get().end();
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            sys.close(fd);
            fd = -1;
            arena.close();
        }
    }
}
