package io.mapsnap.itest;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * How much of a workload's own code a profile resolved, judged by each sample's innermost user frame: the sampled
 * instruction itself. Outer frames come from frame pointers, which Debian's ld.so and libc lack, and whether those
 * libraries name their functions depends on their symbol tables, not on the collector; under emulation, exec and
 * the dynamic loader fill most of a short child's life. So only samples whose instruction lay in the workload's
 * binary count: named when a captured map covered it and the sample got one of the workload's function names; a
 * sample a map covered that got no name (the PLT, which has no symbol: {@code short_lived+0x...}) is counted as own
 * code but not as named, and so is a bare address no map covered, or a frame given as the workload's build ID and
 * an offset that no file here had (the build-ID sampler; the frames of ld.so and libc, whose build IDs differ, are
 * not the workload's code). Samples inside execve are left out: their user
 * registers belong to the old image while the mm is already the new one, so no map of either resolves them.
 *
 * @param resolved samples in the workload's own code that were named
 * @param unnamedInBinary of {@code own}, samples a map placed in the binary that got no function name
 * @param own samples in the workload's own code, named or not
 */
record OwnCodeShare(long resolved, long unnamedInBinary, long own) {
    static OwnCodeShare of(Profile profile, String workload) {
        return of(profile, workload, false);
    }

    /**
     * The same, of the samples whose leaf came with a build ID only (the build-ID sampler): the kernel gives a bare
     * IP instead when it cannot take the build ID at that moment (its mmap_lock trylock failed: an exec or mmap was
     * under way), and a bare IP of a process that left no map cannot be named by anything.
     */
    static OwnCodeShare ofLeavesWithBuildId(Profile profile, String workload) {
        return of(profile, workload, true);
    }

    private static OwnCodeShare of(Profile profile, String workload, boolean withBuildIdOnly) {
        long resolved = 0;
        long unnamed = 0;
        long own = 0;
        Set<String> ownBuildIds = ownBuildIds(profile, workload);
        for (ProfileStack s : profile.stacks()) {
            if (!s.comm().equals(workload) || inExecve(s.frames())) {
                continue;
            }
            Frame leaf = s.frames().stream().filter(f -> f.kind() != FrameKind.KERNEL).reduce((a, b) -> b)
                    .orElse(null);
            if (leaf == null || withBuildIdOnly && leaf.buildId() == null) {
                continue;
            }
            boolean named = leaf.resolved()
                    && (leaf.function().startsWith(workload + "_") || leaf.function().equals("_start"));
            boolean inBinary = !leaf.resolved() && leaf.module() != null && leaf.module().endsWith("/" + workload);
            // A build ID no file here had (the build-ID sampler) is own code when it is the workload's, or when no
            // named frame told which build ID the workload's is: counted against the share.
            boolean unmapped = !leaf.resolved() && (leaf.module() == null || leaf.module().startsWith("[build-id:")
                    && (ownBuildIds.isEmpty() || ownBuildIds.contains(leaf.buildId())));
            if (named || inBinary || unmapped) {
                own += s.count();
                resolved += named ? s.count() : 0;
                unnamed += inBinary ? s.count() : 0;
            }
        }
        return new OwnCodeShare(resolved, unnamed, own);
    }

    /** The build IDs the workload's named frames carry: its binary's. */
    private static Set<String> ownBuildIds(Profile profile, String workload) {
        return profile.stacks().stream().filter(s -> s.comm().equals(workload)).flatMap(s -> s.frames().stream())
                .filter(f -> f.resolved() && f.function().startsWith(workload + "_") && f.buildId() != null)
                .map(Frame::buildId).collect(Collectors.toSet());
    }

    /** Whether the stack was sampled inside execve: its user frames are the old image's, its mm the new one's. */
    static boolean inExecve(List<Frame> frames) {
        return frames.stream().anyMatch(f -> f.kind() == FrameKind.KERNEL && f.resolved()
                && f.function().contains("sys_execve"));
    }

    double percent() {
        return own == 0 ? 0 : 100.0 * resolved / own;
    }

    @Override
    public String toString() {
        return String.format("%.2f %% of samples in its own code named (%d of %d; %d placed in the binary without a"
                + " name)", percent(), resolved, own, unnamedInBinary);
    }
}
