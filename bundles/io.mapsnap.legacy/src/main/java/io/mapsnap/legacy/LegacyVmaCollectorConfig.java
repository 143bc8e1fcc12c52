package io.mapsnap.legacy;

/** Configuration of the vm_next collector (Configuration Admin PID {@code io.mapsnap.legacy.collector}). */
public @interface LegacyVmaCollectorConfig {
    /**
     * Stop a walk after this many VMAs and flag the snapshot truncated. The BPF program has its own, lower bound
     * where 5.10's verifier sets it (256 VMAs a walk): the lower of the two applies.
     */
    int maxVmas() default 65536;

    /**
     * The least time between two walks of one process whose map keeps changing, in milliseconds. Lower catches
     * libraries loaded late sooner; higher costs less for processes that map and unmap all the time.
     */
    long refreshIntervalMillis() default 1000;
}
