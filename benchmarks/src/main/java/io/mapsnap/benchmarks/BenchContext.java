package io.mapsnap.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every benchmark suite gets: where things are, how much to repeat, and where to put what it found. Rows are
 * reported as they finish (one progress line each); notes say what could not be measured here and why.
 */
final class BenchContext {
    final Path root;
    final Path nativeDir;
    final String classPath;
    final Settings settings;
    private final Consumer<Row> progress;
    final List<Row> rows = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    BenchContext(Path root, Path nativeDir, String classPath, Settings settings, Consumer<Row> progress) {
        this.root = root;
        this.nativeDir = nativeDir;
        this.classPath = classPath;
        this.settings = settings;
        this.progress = progress;
    }

    void add(Row row) {
        rows.add(row);
        progress.accept(row);
    }

    void note(String note) {
        notes.add(note);
        System.err.println("bench: note: " + note);
    }
}
