package io.mapsnap.profiler;

/** Configuration of the profiler (Configuration Admin PID {@code io.mapsnap.profiler}). */
public @interface SamplingProfilerConfig {
    /**
     * The map collector used when a request names none ({@code kfunc}, {@code procfs-async}); empty for the
     * best-ranked one active. One the kernel cannot honour fails the profile with the capability it lacks.
     */
    String collector() default "";
}
