package io.mapsnap.symbolizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A least-recently-used map of at most {@code capacity} entries, safe for several threads; evicted values go to
 * {@code onEvict} (outside the lock, so closing a file never blocks other lookups).
 */
final class BoundedLru<K, V> {
    private final int capacity;
    private final Consumer<V> onEvict;
    private final LinkedHashMap<K, V> map;

    BoundedLru(int capacity, Consumer<V> onEvict) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.onEvict = onEvict;
        this.map = new LinkedHashMap<>(16, 0.75f, true);
    }

    BoundedLru(int capacity) {
        this(capacity, v -> {
        });
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    /** Puts {@code value}; the replaced value, if any and not the same object, is evicted too. */
    void put(K key, V value) {
        List<V> evicted = new ArrayList<>();
        synchronized (this) {
            V old = map.put(key, value);
            if (old != null && old != value) {
                evicted.add(old);
            }
            var it = map.entrySet().iterator();
            while (map.size() > capacity && it.hasNext()) {
                evicted.add(it.next().getValue());
                it.remove();
            }
        }
        evicted.forEach(onEvict);
    }

    synchronized int size() {
        return map.size();
    }

    /** Empties the map, evicting every value. */
    void clear() {
        List<V> evicted;
        synchronized (this) {
            evicted = new ArrayList<>(map.values());
            map.clear();
        }
        evicted.forEach(onEvict);
    }

    synchronized Map<K, V> snapshot() {
        return Map.copyOf(map);
    }
}
