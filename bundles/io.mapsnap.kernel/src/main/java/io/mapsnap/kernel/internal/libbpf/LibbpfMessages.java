package io.mapsnap.kernel.internal.libbpf;

import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's warnings printed on the current thread while a capture is open. libbpf prints from the thread that made
 * the call, so a thread-local list holds exactly the messages of the caller's own libbpf calls, even while other
 * threads load objects at the same time.
 */
public final class LibbpfMessages implements AutoCloseable {
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();

    private final List<String> lines = new ArrayList<>();
    private final List<String> outer;

    private LibbpfMessages() {
        outer = CAPTURED.get();
        CAPTURED.set(lines);
    }

    /** Starts collecting this thread's libbpf warnings until {@link #close()}. */
    public static LibbpfMessages capture() {
        return new LibbpfMessages();
    }

    /** The warnings so far, in the order libbpf printed them. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    static boolean capturing() {
        return CAPTURED.get() != null;
    }

    static void add(String line) {
        List<String> l = CAPTURED.get();
        if (l != null) {
            l.add(line);
        }
    }

    @Override
    public void close() {
        if (outer == null) {
            CAPTURED.remove();
        } else {
            outer.addAll(lines);
            CAPTURED.set(outer);
        }
    }
}
