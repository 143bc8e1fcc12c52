package io.mapsnap.symbolizer;

/** Configuration of the symbolizer component (PID {@code io.mapsnap.symbolizer}); the defaults suit a host. */
public @interface SymbolizerConfiguration {
    /** Where JITs write perf-PID.map; perf and every JIT agent use /tmp. */
    String perfMapDirectory() default "/tmp";

    /** Root of separate debug files, looked up as {@code .build-id/xx/rest.debug}. */
    String debugDirectory() default "/usr/lib/debug";

    /** Open handles kept on mapped files of live processes (each is one file descriptor). */
    int retainedFiles() default 256;

    /** Parsed files kept (by build ID, else by device, inode, size and modification time). */
    int cachedModules() default 64;

    /** Largest perf map read; a JVM's map grows to a few MiB in a long run. */
    long perfMapMaxBytes() default 64L << 20;

    /** Least time between two reloads of /proc/kallsyms after a miss (module and BPF program loads). */
    int kallsymsRefreshSeconds() default 5;
}
