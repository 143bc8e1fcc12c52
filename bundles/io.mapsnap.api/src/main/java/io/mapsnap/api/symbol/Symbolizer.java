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

    /**
     * Names a user frame the kernel already normalized to (build ID, file offset) (BPF_F_USER_BUILD_ID), through the
     * file with that build ID: one read before, else the first with it among the files the sampled process's maps
     * show, else among those of {@code others}. A frame whose file is nowhere here stays unresolved with its build ID
     * and offset, for a symbolizer that has the file.
     *
     * @param buildId the ELF build ID, lower-case hex
     * @param fileOffset the frame's offset in that file
     * @param process maps of the sampled process, best first (may be empty): where to look first, and what places
     *        the frame at an address (else its address is the offset)
     * @param others other maps (of other processes) where the file may be found (may be empty)
     */
    Frame symbolizeBuildId(String buildId, long fileOffset, List<VmaSnapshot> process, List<VmaSnapshot> others);

    /** Names kernel {@code addresses}; one frame per address. */
    List<Frame> symbolizeKernel(long[] addresses);
}
