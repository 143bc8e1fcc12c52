package io.mapsnap.api.vma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What a snapshot in a scope holds. */
class CollectionScopeTest {
    private static final Vma TEXT = vma(0x1000, "r-xp", "/bin/w");
    private static final Vma DATA = vma(0x2000, "rw-p", "/bin/w");
    private static final Vma JIT = vma(0x3000, "rwxp", "");
    private static final Vma STACK = vma(0x4000, "rw-p", "[stack]");

    @Test
    void anExecutableOnlyScopeKeepsExecutableMappingsInAddressOrder() {
        VmaSnapshot whole = snapshot(List.of(TEXT, DATA, JIT, STACK));
        CollectionScope scope = CollectionScope.all().executableMappingsOnly();
        VmaSnapshot kept = scope.select(whole);
        assertEquals(List.of(TEXT, JIT), kept.vmas());
        assertEquals(whole.tgid(), kept.tgid());
        assertEquals(whole.takenAt(), kept.takenAt());
        assertFalse(scope.holds(STACK));
    }

    @Test
    void aSnapshotAlreadyFilteredAndAWholeScopeAreLeftAsTheyAre() {
        VmaSnapshot executable = snapshot(List.of(TEXT, JIT));
        assertSame(executable, CollectionScope.all().executableMappingsOnly().select(executable));
        VmaSnapshot whole = snapshot(List.of(TEXT, DATA));
        assertSame(whole, new CollectionScope(Set.of(7), 0).select(whole));
        assertFalse(new CollectionScope(Set.of(7), 0).executableOnly());
    }

    private static Vma vma(long start, String permissions, String path) {
        return new Vma(start, start + 0x1000, 0, Permissions.parse(permissions), path.startsWith("/") ? 8 : 0,
                path.startsWith("/") ? 1 : 0, path.startsWith("/") ? 5 : 0, path, null);
    }

    private static VmaSnapshot snapshot(List<Vma> vmas) {
        return new VmaSnapshot(7, 7, "w", 1, Instant.ofEpochSecond(1), "kfunc", false, vmas);
    }
}
