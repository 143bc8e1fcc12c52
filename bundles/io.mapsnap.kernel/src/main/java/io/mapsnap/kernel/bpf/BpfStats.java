package io.mapsnap.kernel.bpf;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/**
 * Keeps the kernel's BPF run-time statistics on while open (bpf(BPF_ENABLE_STATS, BPF_STATS_RUN_TIME), 5.8+).
 * The kernel counts users: closing this handle switches stats off again unless someone else (another handle or
 * the kernel.bpf_stats_enabled sysctl) keeps them on. Costs two clock reads per program run.
 */
public final class BpfStats implements AutoCloseable {
    private static final int BPF_STATS_RUN_TIME = 0;

    private final Syscalls sys;
    private int fd;

    private BpfStats(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    /** Turns run-time statistics on until {@link #close()}. */
    public static BpfStats enableRunTime() throws BpfException {
        Syscalls sys = Syscalls.get();
        return new BpfStats(sys, sys.bpfEnableStats(BPF_STATS_RUN_TIME));
    }

    public synchronized int fd() {
        return fd;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            sys.close(fd);
            fd = -1;
        }
    }
}
