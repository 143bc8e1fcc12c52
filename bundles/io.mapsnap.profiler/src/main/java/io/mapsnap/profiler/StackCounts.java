package io.mapsnap.profiler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples merged by stack as they arrive, so memory grows with distinct stacks rather than with samples. Each stack
 * keeps the time of its first sample, which picks the map it is resolved against.
 */
final class StackCounts {
    /** The count of one stack and when it was first seen. */
    static final class Entry {
        final long firstBootNanos;
        final AtomicLong count = new AtomicLong();

        Entry(long firstBootNanos) {
            this.firstBootNanos = firstBootNanos;
        }
    }

    private final Map<StackKey, Entry> stacks = new ConcurrentHashMap<>();

    void add(StackSample s) {
        stacks.computeIfAbsent(StackKey.of(s), k -> new Entry(s.timeBootNanos())).count.incrementAndGet();
    }

    Map<StackKey, Entry> snapshot() {
        return Map.copyOf(stacks);
    }
}
