package io.mapsnap.profiler;

/** Configuration of the process map cache (Configuration Admin PID {@code io.mapsnap.profiler.cache}). */
public @interface ProcessMapCacheConfig {
    /**
     * The source to take snapshots with ({@code kfunc}, {@code legacy}, {@code bpf-iter}, {@code procmap-query},
     * {@code procfs}); empty for the best-ranked one active. A source the kernel cannot honour is refused at every
     * capture with the missing capability and its evidence, never silently replaced.
     */
    String source() default "";
}
