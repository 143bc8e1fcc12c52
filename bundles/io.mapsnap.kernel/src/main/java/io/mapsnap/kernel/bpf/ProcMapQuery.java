package io.mapsnap.kernel.bpf;

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

    private static final int O_RDONLY = 0;

    private final Syscalls sys;
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
        return sys.procmapQuery(fd, address, queryFlags);
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
        }
    }
}
