package io.mapsnap.kernel.internal.libbpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** struct btf_type and struct btf_var_secinfo (include/uapi/linux/btf.h) as btf__type_by_id returns them. */
final class BtfTypes {
    static final int KIND_VAR = 14;
    static final int KIND_DATASEC = 15;

    static final StructLayout TYPE = MemoryLayout.structLayout(
            JAVA_INT.withName("name_off"),
            JAVA_INT.withName("info"), // bits 0-15 vlen, 24-28 kind, 31 kind_flag
            JAVA_INT.withName("size_or_type")).withName("btf_type");
    static final VarHandle TYPE_NAME_OFF = TYPE.varHandle(groupElement("name_off"));
    static final VarHandle TYPE_INFO = TYPE.varHandle(groupElement("info"));

    /** A DATASEC's btf_type is followed by vlen of these. */
    static final StructLayout VAR_SECINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("size")).withName("btf_var_secinfo");
    static final VarHandle SECINFO_TYPE = VAR_SECINFO.varHandle(groupElement("type"));
    static final VarHandle SECINFO_OFFSET = VAR_SECINFO.varHandle(groupElement("offset"));
    static final VarHandle SECINFO_SIZE = VAR_SECINFO.varHandle(groupElement("size"));

    static int vlen(int info) {
        return info & 0xffff;
    }

    static int kind(int info) {
        return (info >>> 24) & 0x1f;
    }

    private BtfTypes() {
    }
}
