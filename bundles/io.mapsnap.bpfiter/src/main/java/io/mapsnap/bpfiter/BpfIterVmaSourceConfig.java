package io.mapsnap.bpfiter;

/** Configuration of the task_vma iterator walker (Configuration Admin PID {@code io.mapsnap.bpfiter}). */
public @interface BpfIterVmaSourceConfig {
    /** Stop a walk after this many VMAs and flag the snapshot truncated (a guard against runaway maps). */
    int maxVmas() default 65536;
}
