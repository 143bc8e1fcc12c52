package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfRunStats;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;
import io.mapsnap.kernel.bpf.ProcMapEntry;

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
    private static final int EPOLL_BATCH = 4;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int BPF_OBJ_GET_INFO_BY_FD = 15;
    private static final int BPF_ENABLE_STATS = 32;
    private static final int VMA_NAME_MAX = 4096;

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
    public int perfEventOpen(int type, long config, long sampleFrequency, int pid, int cpu) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(PerfEventAttr.LAYOUT);
            PerfEventAttr.TYPE.set(attr, 0L, type);
            PerfEventAttr.SIZE.set(attr, 0L, (int) PerfEventAttr.LAYOUT.byteSize());
            PerfEventAttr.CONFIG.set(attr, 0L, config);
            PerfEventAttr.SAMPLE_FREQ.set(attr, 0L, sampleFrequency);
            PerfEventAttr.FLAGS.set(attr, 0L, PerfEventAttr.FLAG_DISABLED | PerfEventAttr.FLAG_FREQ);
            return (int) call("perf_event_open", SYS_PERF_EVENT_OPEN, attr.address(), pid, cpu, -1,
                    PERF_FLAG_FD_CLOEXEC, 0);
        }
    }

    @Override
    public int bpfEnableStats(int statsType) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfProgInfo.ENABLE_STATS_ATTR);
            BpfProgInfo.ATTR_STATS_TYPE.set(attr, 0L, statsType);
            return (int) call("bpf(BPF_ENABLE_STATS)", SYS_BPF, BPF_ENABLE_STATS, attr.address(), attr.byteSize(), 0, 0,
                    0);
        }
    }

    @Override
    public BpfRunStats programInfo(int progFd) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(BpfProgInfo.LAYOUT);
            MemorySegment attr = arena.allocate(BpfProgInfo.GET_INFO_ATTR);
            BpfProgInfo.ATTR_BPF_FD.set(attr, 0L, progFd);
            BpfProgInfo.ATTR_INFO_LEN.set(attr, 0L, (int) info.byteSize());
            BpfProgInfo.ATTR_INFO.set(attr, 0L, info.address());
            call("bpf(BPF_OBJ_GET_INFO_BY_FD)", SYS_BPF, BPF_OBJ_GET_INFO_BY_FD, attr.address(), attr.byteSize(), 0, 0, 0);
            return new BpfRunStats((int) BpfProgInfo.TYPE.get(info, 0L), (int) BpfProgInfo.ID.get(info, 0L),
                    (long) BpfProgInfo.RUN_TIME_NS.get(info, 0L), (long) BpfProgInfo.RUN_CNT.get(info, 0L),
                    (long) BpfProgInfo.RECURSION_MISSES.get(info, 0L));
        }
    }

    @Override
    public Optional<ProcMapEntry> procmapQuery(int mapsFd, long address, int queryFlags) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(ProcmapQueryStruct.LAYOUT);
            MemorySegment name = arena.allocate(VMA_NAME_MAX);
            ProcmapQueryStruct.SIZE.set(q, 0L, q.byteSize());
            ProcmapQueryStruct.QUERY_FLAGS.set(q, 0L, (long) queryFlags);
            ProcmapQueryStruct.QUERY_ADDR.set(q, 0L, address);
            ProcmapQueryStruct.VMA_NAME_SIZE.set(q, 0L, (int) name.byteSize());
            ProcmapQueryStruct.BUILD_ID_SIZE.set(q, 0L, 0);
            ProcmapQueryStruct.VMA_NAME_ADDR.set(q, 0L, name.address());
            try {
                call("ioctl(PROCMAP_QUERY)", SYS_IOCTL, mapsFd, ProcmapQueryStruct.PROCMAP_QUERY, q.address(), 0, 0, 0);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw e;
            }
            int nameSize = (int) ProcmapQueryStruct.VMA_NAME_SIZE.get(q, 0L);
            return Optional.of(new ProcMapEntry((long) ProcmapQueryStruct.VMA_START.get(q, 0L),
                    (long) ProcmapQueryStruct.VMA_END.get(q, 0L), (int) (long) ProcmapQueryStruct.VMA_FLAGS.get(q, 0L),
                    (long) ProcmapQueryStruct.VMA_PAGE_SIZE.get(q, 0L), (long) ProcmapQueryStruct.VMA_OFFSET.get(q, 0L),
                    (long) ProcmapQueryStruct.INODE.get(q, 0L), (int) ProcmapQueryStruct.DEV_MAJOR.get(q, 0L),
                    (int) ProcmapQueryStruct.DEV_MINOR.get(q, 0L), nameSize > 0 ? name.getString(0) : ""));
        }
    }

    @Override
    public int open(String path, int flags) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call("openat", SYS_OPENAT, AT_FDCWD, arena.allocateFrom(path).address(), flags | O_CLOEXEC,
                    0, 0, 0);
        }
    }

    @Override
    public int read(int fd, byte[] b, int off, int len) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(len);
            while (true) {
                try {
                    int n = (int) call("read", SYS_READ, fd, buf.address(), len, 0, 0, 0);
                    MemorySegment.copy(buf, JAVA_BYTE, 0, b, off, n);
                    return n;
                } catch (BpfException e) {
                    if (e.errno() != Errno.EINTR) {
                        throw e;
                    }
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
            MemorySegment ev = arena.allocate(EpollEvent.LAYOUT);
            EpollEvent.EVENTS.set(ev, 0L, events);
            EpollEvent.DATA.set(ev, 0L, (long) fd);
            call("epoll_ctl", SYS_EPOLL_CTL, epfd, EPOLL_CTL_ADD, fd, ev.address(), 0, 0);
        }
    }

    @Override
    public int epollWait(int epfd, int timeoutMs) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EpollEvent.LAYOUT, EPOLL_BATCH);
            return (int) call("epoll_wait", SYS_EPOLL_WAIT, epfd, events.address(), EPOLL_BATCH, timeoutMs, 0, 0);
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
