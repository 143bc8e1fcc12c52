package io.mapsnap.kernel.internal.syscall;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;
import io.mapsnap.kernel.bpf.ProcMapEntry;

/**
 * Raw Linux x86_64 syscalls through libc's variadic {@code syscall(2)}, errno captured per call. A failing call
 * throws a {@link BpfException} named after the syscall. The structs they take are built here, nowhere else.
 */
public interface Syscalls {
    static Syscalls get() throws LibbpfUnavailableException {
        return SyscallBinding.instance();
    }

    /**
     * perf_event_open of a sampling event in frequency mode, opened disabled, close-on-exec.
     *
     * @return the event fd
     */
    int perfEventOpen(int type, long config, long sampleFrequency, int pid, int cpu) throws BpfException;

    /** bpf(BPF_ENABLE_STATS): an fd that keeps statistics of {@code statsType} on while open. */
    int bpfEnableStats(int statsType) throws BpfException;

    /** bpf(BPF_OBJ_GET_INFO_BY_FD) on a program fd. */
    BpfRunStats programInfo(int progFd) throws BpfException;

    /** ioctl(PROCMAP_QUERY) on an open /proc/PID/maps; empty when no VMA matches (ENOENT). */
    Optional<ProcMapEntry> procmapQuery(int mapsFd, long address, int queryFlags) throws BpfException;

    int open(String path, int flags) throws BpfException;

    /** Bytes read into {@code b[off..off+len)}, 0 at end of file; retried on EINTR. */
    int read(int fd, byte[] b, int off, int len) throws BpfException;

    /** Closes {@code fd}; errors are ignored (after close(2) fails the fd is gone on Linux anyway). */
    void close(int fd);

    /** mmap at a kernel-chosen address; the returned segment has {@code length} bytes. */
    MemorySegment mmap(long length, int prot, int flags, int fd, long offset) throws BpfException;

    void munmap(MemorySegment mapping);

    int epollCreate() throws BpfException;

    void epollAdd(int epfd, int fd, int events) throws BpfException;

    /** Number of ready fds (0 on timeout or EINTR). */
    int epollWait(int epfd, int timeoutMs) throws BpfException;

    int gettid();
}
