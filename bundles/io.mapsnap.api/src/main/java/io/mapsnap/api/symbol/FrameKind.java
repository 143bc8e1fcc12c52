package io.mapsnap.api.symbol;

/** Where a frame's code lives. */
public enum FrameKind {
    /** Code of a file mapped into a user process (an executable or a shared library). */
    USER,
    /** Code generated at run time and named by a perf map (/tmp/perf-PID.map), e.g. a JVM's JIT. */
    JIT,
    /** Kernel code. */
    KERNEL
}
