package io.mapsnap.benchmarks;

/**
 * How much repetition a run gets. {@code --quick} must finish in under 5 minutes on a built tree; the full run
 * trades time for tighter spreads.
 *
 * @param quick whether this is a {@code --quick} run
 * @param snapshotWarmUp snapshots per method and process before any is recorded (JIT, caches)
 * @param snapshotRounds rounds in which every method takes its batch, in rotating order
 * @param snapshotBatch recorded snapshots per method, process and round
 * @param jmhForks JVMs per JMH benchmark
 * @param jmhWarmUpIterations JMH warm-up iterations of 1 s
 * @param jmhIterations JMH measured iterations of 1 s
 * @param coldJvmRuns fresh JVMs timing one BTF parse each
 * @param startupRuns runs of {@code ./mapsnap caps}
 * @param profilerRounds rounds of the per-sample cost rows, each one phase with and one without map capture
 * @param profilerPhaseSeconds length of one such phase
 * @param overheadRuns profiler runs per configuration (frequency, JVM flags)
 * @param overheadWindowSeconds measured seconds of each profiler run
 * @param symbolizerColdRuns fresh symbolizers per cold row
 */
record Settings(boolean quick, int snapshotWarmUp, int snapshotRounds, int snapshotBatch, int jmhForks,
        int jmhWarmUpIterations, int jmhIterations, int coldJvmRuns, int startupRuns, int profilerRounds,
        int profilerPhaseSeconds, int overheadRuns, int overheadWindowSeconds, int symbolizerColdRuns,
        int churnWindowSeconds) {

    static Settings quickRun() {
        return new Settings(true, 30, 5, 8, 1, 3, 5, 3, 3, 2, 2, 1, 6, 5, 10);
    }

    static Settings fullRun() {
        return new Settings(false, 200, 15, 20, 2, 5, 10, 10, 5, 6, 6, 3, 20, 15, 60);
    }

    String describe() {
        return String.format(java.util.Locale.ROOT,
                "%s run: map snapshots %d warm-up + %d rounds × %d per method and process, interleaved; "
                        + "JMH %d fork(s) × (%d warm-up + %d measured) 1-s iterations; %d cold JVMs; %d start-ups; "
                        + "per-sample BPF cost %d rounds × 5 phases of %d s; profiler overhead %d run(s) × %d "
                        + "measured s per configuration; %d fresh symbolizers per cold row; churn storm %d s per process rate",
                quick ? "quick" : "full", snapshotWarmUp, snapshotRounds, snapshotBatch, jmhForks,
                jmhWarmUpIterations, jmhIterations, coldJvmRuns, startupRuns, profilerRounds, profilerPhaseSeconds,
                overheadRuns, overheadWindowSeconds, symbolizerColdRuns, churnWindowSeconds);
    }
}
