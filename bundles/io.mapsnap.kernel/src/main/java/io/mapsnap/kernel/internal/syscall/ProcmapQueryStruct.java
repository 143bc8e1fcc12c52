package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** struct procmap_query (include/uapi/linux/fs.h, 6.11+), 104 bytes. */
final class ProcmapQueryStruct {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("query_flags"),
            JAVA_LONG.withName("query_addr"),
            JAVA_LONG.withName("vma_start"),
            JAVA_LONG.withName("vma_end"),
            JAVA_LONG.withName("vma_flags"),
            JAVA_LONG.withName("vma_page_size"),
            JAVA_LONG.withName("vma_offset"),
            JAVA_LONG.withName("inode"),
            JAVA_INT.withName("dev_major"),
            JAVA_INT.withName("dev_minor"),
            JAVA_INT.withName("vma_name_size"),
            JAVA_INT.withName("build_id_size"),
            JAVA_LONG.withName("vma_name_addr"),
            JAVA_LONG.withName("build_id_addr")).withName("procmap_query");

    static final VarHandle SIZE = LAYOUT.varHandle(groupElement("size"));
    static final VarHandle QUERY_FLAGS = LAYOUT.varHandle(groupElement("query_flags"));
    static final VarHandle QUERY_ADDR = LAYOUT.varHandle(groupElement("query_addr"));
    static final VarHandle VMA_START = LAYOUT.varHandle(groupElement("vma_start"));
    static final VarHandle VMA_END = LAYOUT.varHandle(groupElement("vma_end"));
    static final VarHandle VMA_FLAGS = LAYOUT.varHandle(groupElement("vma_flags"));
    static final VarHandle VMA_PAGE_SIZE = LAYOUT.varHandle(groupElement("vma_page_size"));
    static final VarHandle VMA_OFFSET = LAYOUT.varHandle(groupElement("vma_offset"));
    static final VarHandle INODE = LAYOUT.varHandle(groupElement("inode"));
    static final VarHandle DEV_MAJOR = LAYOUT.varHandle(groupElement("dev_major"));
    static final VarHandle DEV_MINOR = LAYOUT.varHandle(groupElement("dev_minor"));
    static final VarHandle VMA_NAME_SIZE = LAYOUT.varHandle(groupElement("vma_name_size"));
    static final VarHandle BUILD_ID_SIZE = LAYOUT.varHandle(groupElement("build_id_size"));
    static final VarHandle VMA_NAME_ADDR = LAYOUT.varHandle(groupElement("vma_name_addr"));

    /** _IOWR(PROCFS_IOCTL_MAGIC 'f', 17, struct procmap_query) = 3 << 30 | 104 << 16 | 'f' << 8 | 17 = 0xC0686611. */
    static final long PROCMAP_QUERY = (3L << 30) | (LAYOUT.byteSize() << 16) | ('f' << 8) | 17;

    private ProcmapQueryStruct() {
    }
}
