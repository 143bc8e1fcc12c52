package io.mapsnap.kernel.internal.syscall;

import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;

/**
 * Raw Linux x86_64 syscalls through libc's variadic {@code syscall(2)}, errno captured per call. A failing call
 * throws a {@link BpfException} named after the syscall.
 */
public interface Syscalls {
    static Syscalls get() throws LibbpfUnavailableException {
        return SyscallBinding.instance();
    }

    int perfEventOpen(MemorySegment attr, int pid, int cpu, int groupFd, long flags) throws BpfException;

    /** bpf(cmd, attr, size); returns the syscall's non-negative result (often an fd). */
    int bpf(int cmd, MemorySegment attr, int size) throws BpfException;

    long ioctl(int fd, long request, MemorySegment arg) throws BpfException;

    /** ioctl with an integer argument. */
    long ioctl(int fd, long request, long arg) throws BpfException;

    int open(String path, int flags) throws BpfException;

    /** Bytes read, 0 at end of file. */
    long read(int fd, MemorySegment buf) throws BpfException;

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
