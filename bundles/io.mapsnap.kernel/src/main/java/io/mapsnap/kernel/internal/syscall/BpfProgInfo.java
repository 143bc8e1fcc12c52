package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * struct bpf_prog_info (include/uapi/linux/bpf.h, 6.1: 232 bytes), the members we read; the kernel copies
 * min(info_len, its own size) and zero-fills what it does not know. run_time_ns/run_cnt exist since 5.1,
 * recursion_misses since 5.12.
 */
final class BpfProgInfo {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            MemoryLayout.paddingLayout(184),
            JAVA_LONG.withName("run_time_ns"),
            JAVA_LONG.withName("run_cnt"),
            JAVA_LONG.withName("recursion_misses"),
            MemoryLayout.paddingLayout(16)).withName("bpf_prog_info");

    static final VarHandle TYPE = LAYOUT.varHandle(groupElement("type"));
    static final VarHandle ID = LAYOUT.varHandle(groupElement("id"));
    static final VarHandle RUN_TIME_NS = LAYOUT.varHandle(groupElement("run_time_ns"));
    static final VarHandle RUN_CNT = LAYOUT.varHandle(groupElement("run_cnt"));
    static final VarHandle RECURSION_MISSES = LAYOUT.varHandle(groupElement("recursion_misses"));

    /** union bpf_attr, member info (BPF_OBJ_GET_INFO_BY_FD). */
    static final StructLayout GET_INFO_ATTR = MemoryLayout.structLayout(
            JAVA_INT.withName("bpf_fd"),
            JAVA_INT.withName("info_len"),
            JAVA_LONG.withName("info")).withName("bpf_attr_info");

    static final VarHandle ATTR_BPF_FD = GET_INFO_ATTR.varHandle(groupElement("bpf_fd"));
    static final VarHandle ATTR_INFO_LEN = GET_INFO_ATTR.varHandle(groupElement("info_len"));
    static final VarHandle ATTR_INFO = GET_INFO_ATTR.varHandle(groupElement("info"));

    /** union bpf_attr, member enable_stats (BPF_ENABLE_STATS). */
    static final StructLayout ENABLE_STATS_ATTR = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            MemoryLayout.paddingLayout(4)).withName("bpf_attr_enable_stats");

    static final VarHandle ATTR_STATS_TYPE = ENABLE_STATS_ATTR.varHandle(groupElement("type"));

    private BpfProgInfo() {
    }
}
