package io.mapsnap.iter;

/** Configuration of the kfunc collector (Configuration Admin PID {@code io.mapsnap.iter.collector}). */
public @interface KfuncVmaCollectorConfig {
    /** Stop a walk after this many VMAs and flag the snapshot truncated. */
    int maxVmas() default 65536;

    /**
     * The least time between two walks of one process whose map keeps changing, in milliseconds. Lower catches
     * libraries loaded late sooner; higher costs less for processes that map and unmap all the time.
     */
    long refreshIntervalMillis() default 1000;
}
