package io.mapsnap.benchmarks;

/**
 * A group of rows of the benchmark table. To add rows: implement this, measure, {@link BenchContext#add(Row)} each
 * row, and list the suite in {@link BenchMain#suites}. A suite that cannot run on the host adds a note saying why
 * instead of a row.
 */
interface BenchmarkSuite {
    /** Short name for progress lines, e.g. {@code map snapshots}. */
    String title();

    void run(BenchContext context) throws Exception;
}
