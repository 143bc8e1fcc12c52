package io.mapsnap.benchmarks;

/**
 * Rows the table will have once the profiler lands. They are listed in docs/benchmarks.md as not yet measured and
 * never printed with a number. To add one: a {@link BenchmarkSuite} that measures it, registered in
 * {@link BenchMain#suites}, and its constant removed here.
 */
enum NotYetMeasured {
    PER_SAMPLE_BPF_COST("per-sample BPF cost of the profiler's perf_event program, with and without map capture "
            + "(BPF run-time statistics, as the map snapshot rows do)"),
    PROFILER_CPU_SHARE("profiler CPU share at 99 Hz and 999 Hz on a busy target (utime+stime of the profiler "
            + "process over wall time, and the BPF programs' run time)"),
    PEAK_RSS("peak RSS of the profiler JVM during a profile (VmHWM from /proc/PID/status)"),
    SYMBOLIZER_THROUGHPUT("symbolizer throughput: frames symbolized per second (ELF symtab, build IDs, file "
            + "offsets), JMH");

    final String description;

    NotYetMeasured(String description) {
        this.description = description;
    }
}
