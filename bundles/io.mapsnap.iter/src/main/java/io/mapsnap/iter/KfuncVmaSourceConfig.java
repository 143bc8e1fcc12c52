package io.mapsnap.iter;

/** Configuration of the kfunc walker (Configuration Admin PID {@code io.mapsnap.iter}). */
public @interface KfuncVmaSourceConfig {
    /** Stop a walk after this many VMAs and flag the snapshot truncated (a guard against runaway maps). */
    int maxVmas() default 65536;
}
