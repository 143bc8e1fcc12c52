package io.mapsnap.benchmarks;

import java.io.IOException;

/** One of the native floors, run by the shared {@link NativeFloor} coprocess. */
record NativeFloorMethod(String name, String wallMeasures, NativeFloor floorProcess, NativeFloor.Kind kind)
        implements SnapshotMethod {
    @Override
    public boolean floor() {
        return true;
    }

    @Override
    public NativeFloor.Runs run(int pid, int count) throws IOException {
        return floorProcess.run(kind, pid, count);
    }
}
