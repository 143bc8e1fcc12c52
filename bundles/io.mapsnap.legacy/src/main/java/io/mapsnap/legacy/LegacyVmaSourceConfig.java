package io.mapsnap.legacy;

/** Configuration of the vm_next walker (Configuration Admin PID {@code io.mapsnap.legacy}). */
public @interface LegacyVmaSourceConfig {
    /** Stop a walk after this many VMAs and flag the snapshot truncated: the list walk holds no lock. */
    int maxVmas() default 65536;
}
