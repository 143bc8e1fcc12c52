package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;

/**
 * One downcall handle to {@code long syscall(long number, ...)} with six variadic longs. Every argument is passed
 * as a full 64-bit register: glibc's syscall() reads them with {@code va_arg(ap, long)}, so passing an int would
 * leave the upper half undefined (the kernel's SYSCALL_DEFINE wrappers then narrow to the declared C type).
 */
final class SyscallBinding implements Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl).
    private static final long SYS_READ = 0;
    private static final long SYS_CLOSE = 3;
    private static final long SYS_MMAP = 9;
    private static final long SYS_MUNMAP = 11;
    private static final long SYS_IOCTL = 16;
    private static final long SYS_GETTID = 186;
    private static final long SYS_EPOLL_WAIT = 232;
    private static final long SYS_EPOLL_CTL = 233;
    private static final long SYS_OPENAT = 257;
    private static final long SYS_EPOLL_CREATE1 = 291;
    private static final long SYS_PERF_EVENT_OPEN = 298;
    private static final long SYS_BPF = 321;

    private static final long AT_FDCWD = -100;
    private static final long O_CLOEXEC = 0x80000;
    private static final long EPOLL_CTL_ADD = 1;
    private static final long EPOLL_CLOEXEC = 0x80000;

    private static volatile SyscallBinding instance;

    private final MethodHandle syscall;

    static SyscallBinding instance() throws LibbpfUnavailableException {
        SyscallBinding b = instance;
        if (b == null) {
            synchronized (SyscallBinding.class) {
                if (instance == null) {
                    instance = new SyscallBinding();
                }
                b = instance;
            }
        }
        return b;
    }

    private SyscallBinding() throws LibbpfUnavailableException {
        MemorySegment symbol = LINKER.defaultLookup().find("syscall").orElseThrow(
                () -> new LibbpfUnavailableException("dlsym", "the C library has no syscall()"));
        syscall = LINKER.downcallHandle(symbol,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    private long call(String name, long nr, long a, long b, long c, long d, long e, long f) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long ret = (long) syscall.invokeExact(state, nr, a, b, c, d, e, f);
            if (ret == -1) {
                throw new BpfException(name, (int) ERRNO.get(state, 0L));
            }
            return ret;
        } catch (BpfException ex) {
            throw ex;
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int perfEventOpen(MemorySegment attr, int pid, int cpu, int groupFd, long flags) throws BpfException {
        return (int) call("perf_event_open", SYS_PERF_EVENT_OPEN, attr.address(), pid, cpu, groupFd, flags, 0);
    }

    @Override
    public int bpf(int cmd, MemorySegment attr, int size) throws BpfException {
        return (int) call("bpf", SYS_BPF, cmd, attr.address(), size, 0, 0, 0);
    }

    @Override
    public long ioctl(int fd, long request, MemorySegment arg) throws BpfException {
        return call("ioctl", SYS_IOCTL, fd, request, arg.address(), 0, 0, 0);
    }

    @Override
    public long ioctl(int fd, long request, long arg) throws BpfException {
        return call("ioctl", SYS_IOCTL, fd, request, arg, 0, 0, 0);
    }

    @Override
    public int open(String path, int flags) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call("openat", SYS_OPENAT, AT_FDCWD, arena.allocateFrom(path).address(), flags | O_CLOEXEC,
                    0, 0, 0);
        }
    }

    @Override
    public long read(int fd, MemorySegment buf) throws BpfException {
        while (true) {
            try {
                return call("read", SYS_READ, fd, buf.address(), buf.byteSize(), 0, 0, 0);
            } catch (BpfException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close(int fd) {
        try {
            call("close", SYS_CLOSE, fd, 0, 0, 0, 0, 0);
        } catch (BpfException e) {
            // Linux releases the descriptor even when close fails; nothing to retry.
        }
    }

    @Override
    public MemorySegment mmap(long length, int prot, int flags, int fd, long offset) throws BpfException {
        long addr = call("mmap", SYS_MMAP, 0, length, prot, flags, fd, offset);
        return MemorySegment.ofAddress(addr).reinterpret(length);
    }

    @Override
    public void munmap(MemorySegment mapping) {
        try {
            call("munmap", SYS_MUNMAP, mapping.address(), mapping.byteSize(), 0, 0, 0, 0);
        } catch (BpfException e) {
            throw new IllegalStateException("munmap of a mapping this process made failed", e);
        }
    }

    @Override
    public int epollCreate() throws BpfException {
        return (int) call("epoll_create1", SYS_EPOLL_CREATE1, EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
    }

    @Override
    public void epollAdd(int epfd, int fd, int events) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            // struct epoll_event is packed on x86_64: u32 events, u64 data at offset 4, 12 bytes.
            MemorySegment ev = arena.allocate(12, 4);
            ev.set(JAVA_INT, 0, events);
            ev.set(JAVA_INT.withByteAlignment(1), 4, fd);
            call("epoll_ctl", SYS_EPOLL_CTL, epfd, EPOLL_CTL_ADD, fd, ev.address(), 0, 0);
        }
    }

    @Override
    public int epollWait(int epfd, int timeoutMs) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(12 * 4, 8);
            return (int) call("epoll_wait", SYS_EPOLL_WAIT, epfd, events.address(), 4, timeoutMs, 0, 0);
        } catch (BpfException e) {
            if (e.errno() == Errno.EINTR) {
                return 0;
            }
            throw e;
        }
    }

    @Override
    public int gettid() {
        try {
            return (int) call("gettid", SYS_GETTID, 0, 0, 0, 0, 0, 0);
        } catch (BpfException e) {
            throw new IllegalStateException("gettid cannot fail", e);
        }
    }
}
