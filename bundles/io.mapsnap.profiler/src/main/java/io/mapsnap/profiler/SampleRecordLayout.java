package io.mapsnap.profiler;

/**
 * Byte offsets of struct mapsnap_sample (bpf-programs/include/mapsnap_sample.h) in its two shapes: 8-byte user frames
 * (instruction pointers), or, in the build-ID sampler's, 32-byte struct bpf_stack_build_id frames. A record's size
 * says which. Keep in step with that header.
 */
final class SampleRecordLayout {
    private SampleRecordLayout() {
    }

    static final int STACK_DEPTH = 127;
    static final int TGID = 0;
    static final int PID = 4;
    static final int CPU = 8;
    static final int USER_BYTES = 12;
    static final int KERNEL_BYTES = 16;
    static final int TIME_NS = 24;
    static final int START_BOOTTIME = 32;
    static final int MM = 40;
    static final int COMM = 48;
    static final int COMM_LEN = 16;
    static final int USER = 64;

    /** An instruction pointer. */
    static final int IP_FRAME = 8;
    static final int KERNEL = USER + STACK_DEPTH * IP_FRAME;
    static final int SIZE = KERNEL + STACK_DEPTH * 8;

    /** struct bpf_stack_build_id: s32 status, 20 bytes of build ID, then the file offset or the IP (union, at 24). */
    static final int BUILD_ID_FRAME = 32;
    static final int BUILD_ID_STATUS = 0;
    static final int BUILD_ID = 4;
    static final int BUILD_ID_LEN = 20;
    static final int BUILD_ID_OFFSET_OR_IP = 24;
    /** BPF_STACK_BUILD_ID_VALID: build ID and file offset; BPF_STACK_BUILD_ID_IP: the IP alone. */
    static final int STATUS_VALID = 1;
    static final int STATUS_IP = 2;
    static final int BUILD_ID_KERNEL = USER + STACK_DEPTH * BUILD_ID_FRAME;
    static final int BUILD_ID_SIZE = BUILD_ID_KERNEL + STACK_DEPTH * 8;
}
