package io.mapsnap.api.symbol;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.mapsnap.api.vma.VmaSnapshot;

/**
 * Turns sampled addresses into frames: user addresses through the memory map they were sampled in (address →
 * mapping → file offset → ELF symbol), JIT addresses through perf maps, kernel addresses through /proc/kallsyms.
 * Results are cached by build ID (or file identity). Every input is untrusted: a missing or corrupt file gives
 * unresolved frames, never an exception.
 */
@ProviderType
public interface Symbolizer {
    /**
     * Called as soon as a snapshot is taken, while the process may still be alive, so the symbolizer can keep hold
     * of the mapped files (a binary deleted or replaced later is still read). Best effort and bounded.
     */
    void retain(VmaSnapshot snapshot);

    /** Names user-space {@code addresses} of the process whose map is {@code snapshot}; one frame per address. */
    List<Frame> symbolizeUser(VmaSnapshot snapshot, long[] addresses);

    /** Names kernel {@code addresses}; one frame per address. */
    List<Frame> symbolizeKernel(long[] addresses);
}
