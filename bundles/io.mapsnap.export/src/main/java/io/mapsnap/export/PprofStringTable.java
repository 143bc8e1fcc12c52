package io.mapsnap.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pprof's string table: every string in the profile is written once and referred to by its index. Index 0 is the
 * empty string, as profile.proto requires ("string_table[0] must always be \"\"") — an unset index field then reads
 * as "".
 */
final class PprofStringTable {
    private final List<String> strings = new ArrayList<>();
    private final Map<String, Long> indexes = new HashMap<>();

    PprofStringTable() {
        index("");
    }

    /** The string's index, adding it on first use; {@code null} is the empty string. */
    long index(String s) {
        String key = s == null ? "" : s;
        Long known = indexes.get(key);
        if (known != null) {
            return known;
        }
        long added = strings.size();
        strings.add(key);
        indexes.put(key, added);
        return added;
    }

    List<String> strings() {
        return List.copyOf(strings);
    }
}
