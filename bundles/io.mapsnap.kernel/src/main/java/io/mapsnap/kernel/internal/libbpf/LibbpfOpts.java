package io.mapsnap.kernel.internal.libbpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * libbpf's option structs as of the 1.1 headers. Each starts with {@code size_t sz}: libbpf accepts a smaller sz
 * from an older caller and rejects a larger one unless the extra bytes are zero, so these sizes must not exceed
 * what the oldest supported libbpf (1.0) knows.
 */
final class LibbpfOpts {
    /** struct bpf_object_open_opts: 80 bytes in 1.0 and 1.1. */
    static final StructLayout OPEN_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("object_name"),
            MemoryLayout.paddingLayout(64)).withName("bpf_object_open_opts");
    static final VarHandle OPEN_OPTS_SZ = OPEN_OPTS.varHandle(groupElement("sz"));
    static final VarHandle OPEN_OPTS_OBJECT_NAME = OPEN_OPTS.varHandle(groupElement("object_name"));

    /** struct bpf_iter_attach_opts: 24 bytes. */
    static final StructLayout ITER_ATTACH_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("link_info"),
            JAVA_INT.withName("link_info_len"),
            MemoryLayout.paddingLayout(4)).withName("bpf_iter_attach_opts");
    static final VarHandle ITER_OPTS_SZ = ITER_ATTACH_OPTS.varHandle(groupElement("sz"));
    static final VarHandle ITER_OPTS_LINK_INFO = ITER_ATTACH_OPTS.varHandle(groupElement("link_info"));
    static final VarHandle ITER_OPTS_LINK_INFO_LEN = ITER_ATTACH_OPTS.varHandle(groupElement("link_info_len"));

    /**
     * union bpf_iter_link_info, task member (uapi 6.1+: tid, pid, pid_fd; 16 bytes as a union). Kernels before 6.1
     * only know the map member and reject a non-zero task filter.
     */
    static final StructLayout ITER_LINK_INFO_TASK = MemoryLayout.structLayout(
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("pid_fd"),
            MemoryLayout.paddingLayout(4)).withName("bpf_iter_link_info");
    static final VarHandle LINK_INFO_TASK_PID = ITER_LINK_INFO_TASK.varHandle(groupElement("pid"));

    private LibbpfOpts() {
    }
}
