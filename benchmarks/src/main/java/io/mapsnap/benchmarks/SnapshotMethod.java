package io.mapsnap.benchmarks;

/** One way of taking a full memory-map snapshot, measured run by run. */
interface SnapshotMethod extends AutoCloseable {
    /** The row name, e.g. {@code kfunc}, {@code floor: C /proc/PID/maps read+parse}. */
    String name();

    /** Whether this is one of the native reference walkers (a floor) rather than a mapsnap source. */
    boolean floor();

    /** What its wall time covers. */
    String wallMeasures();

    /** {@code count} snapshots of process {@code pid}. */
    NativeFloor.Runs run(int pid, int count) throws Exception;

    @Override
    default void close() {
    }
}
