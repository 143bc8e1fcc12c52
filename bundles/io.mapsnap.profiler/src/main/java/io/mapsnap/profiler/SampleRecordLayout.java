package io.mapsnap.profiler;

/** Byte offsets of struct mapsnap_sample (bpf-programs/include/mapsnap_sample.h). Keep in step with that header. */
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
    static final int KERNEL = USER + STACK_DEPTH * 8;
    static final int SIZE = KERNEL + STACK_DEPTH * 8;
}
