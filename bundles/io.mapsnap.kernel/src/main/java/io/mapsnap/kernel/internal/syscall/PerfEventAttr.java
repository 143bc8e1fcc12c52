package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * struct perf_event_attr (include/uapi/linux/perf_event.h), the members we set; PERF_ATTR_SIZE_VER7 (128 bytes)
 * is accepted by every kernel since 5.x, newer kernels zero-extend it.
 */
final class PerfEventAttr {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("size"),
            JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_freq"), // union with sample_period
            JAVA_LONG.withName("sample_type"),
            JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"), // the bitfield word: disabled:1, inherit:1, ..., freq is bit 10
            MemoryLayout.paddingLayout(128 - 48)).withName("perf_event_attr");

    static final VarHandle TYPE = LAYOUT.varHandle(groupElement("type"));
    static final VarHandle SIZE = LAYOUT.varHandle(groupElement("size"));
    static final VarHandle CONFIG = LAYOUT.varHandle(groupElement("config"));
    static final VarHandle SAMPLE_FREQ = LAYOUT.varHandle(groupElement("sample_freq"));
    static final VarHandle FLAGS = LAYOUT.varHandle(groupElement("flags"));

    static final long FLAG_DISABLED = 1L;
    static final long FLAG_FREQ = 1L << 10;

    private PerfEventAttr() {
    }
}
