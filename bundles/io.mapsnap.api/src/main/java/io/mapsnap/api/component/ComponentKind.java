package io.mapsnap.api.component;

/** What a component does for mapsnap; the key is the value of {@link ComponentStatus#KIND_PROPERTY}. */
public enum ComponentKind {
    /** An on-demand memory map source ({@code io.mapsnap.api.vma.VmaSource}). */
    SOURCE("source"),
    /** A collection-time memory map collector ({@code io.mapsnap.api.vma.VmaCollector}). */
    COLLECTOR("collector"),
    /** The profiler's stack sampler. */
    SAMPLER("sampler");

    private final String key;

    ComponentKind(String key) {
        this.key = key;
    }

    /** The stable key, for example {@code source}. */
    public String key() {
        return key;
    }
}
