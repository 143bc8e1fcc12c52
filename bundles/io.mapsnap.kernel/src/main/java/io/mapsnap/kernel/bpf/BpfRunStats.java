package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/**
 * Kernel statistics of a loaded program (struct bpf_prog_info from BPF_OBJ_GET_INFO_BY_FD).
 *
 * @param type {@code enum bpf_prog_type}
 * @param id the kernel's program id
 * @param runTimeNs cumulative run time; 0 unless run-time stats are enabled
 * @param runCount number of runs; 0 unless run-time stats are enabled
 * @param recursionMisses runs skipped because the program was already running on that CPU (5.12+)
 */
public record BpfRunStats(int type, int id, long runTimeNs, long runCount, long recursionMisses) {
    private static final int BPF_OBJ_GET_INFO_BY_FD = 15;
    // struct bpf_prog_info (uapi, 6.1 headers: 232 bytes); the kernel copies min(our size, its size).
    private static final int PROG_INFO_SIZE = 232;
    private static final long TYPE = 0;
    private static final long ID = 4;
    private static final long RUN_TIME_NS = 192;
    private static final long RUN_CNT = 200;
    private static final long RECURSION_MISSES = 208;

    /** Reads the statistics of the program behind {@code progFd}. */
    public static BpfRunStats of(int progFd) throws BpfException {
        Syscalls sys = Syscalls.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(PROG_INFO_SIZE, 8);
            // union bpf_attr.info: u32 bpf_fd, u32 info_len, u64 info.
            MemorySegment attr = arena.allocate(16, 8);
            attr.set(JAVA_INT, 0, progFd);
            attr.set(JAVA_INT, 4, PROG_INFO_SIZE);
            attr.set(JAVA_LONG, 8, info.address());
            sys.bpf(BPF_OBJ_GET_INFO_BY_FD, attr, (int) attr.byteSize());
            return new BpfRunStats(info.get(JAVA_INT, TYPE), info.get(JAVA_INT, ID), info.get(JAVA_LONG, RUN_TIME_NS),
                    info.get(JAVA_LONG, RUN_CNT), info.get(JAVA_LONG, RECURSION_MISSES));
        }
    }
}
