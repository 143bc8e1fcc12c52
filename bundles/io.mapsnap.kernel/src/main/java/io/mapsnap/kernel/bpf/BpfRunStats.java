package io.mapsnap.kernel.bpf;

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
    /** Reads the statistics of the program behind {@code progFd}. */
    public static BpfRunStats of(int progFd) throws BpfException {
        return Syscalls.get().programInfo(progFd);
    }
}
