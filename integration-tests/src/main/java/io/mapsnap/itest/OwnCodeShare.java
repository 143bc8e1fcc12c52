package io.mapsnap.itest;

import java.util.List;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * How much of a workload's own code a profile resolved, judged by each sample's innermost user frame: the sampled
 * instruction itself. Outer frames come from frame pointers, which Debian's ld.so and libc lack, and whether those
 * libraries name their functions depends on their symbol tables, not on the collector; under emulation, exec and
 * the dynamic loader fill most of a short child's life. So only samples whose instruction lay in the workload's
 * binary count: resolved when a captured map covered it (a named function, or {@code short_lived+0x...} for the
 * PLT, which has no symbol), unresolved when no map did (a bare address). Samples inside execve are left out: their
 * user registers belong to the old image while the mm is already the new one, so no map of either resolves them.
 *
 * @param resolved samples in the workload's own code that were resolved
 * @param own samples in the workload's own code, resolved or not
 */
record OwnCodeShare(long resolved, long own) {
    static OwnCodeShare of(Profile profile, String workload) {
        long resolved = 0;
        long own = 0;
        for (ProfileStack s : profile.stacks()) {
            if (!s.comm().equals(workload) || inExecve(s.frames())) {
                continue;
            }
            Frame leaf = s.frames().stream().filter(f -> f.kind() != FrameKind.KERNEL).reduce((a, b) -> b)
                    .orElse(null);
            if (leaf == null) {
                continue;
            }
            boolean named = leaf.resolved()
                    && (leaf.function().startsWith(workload + "_") || leaf.function().equals("_start"));
            boolean inBinary = !leaf.resolved() && leaf.module() != null && leaf.module().endsWith("/" + workload);
            boolean unmapped = !leaf.resolved() && leaf.module() == null;
            if (named || inBinary || unmapped) {
                own += s.count();
                resolved += named || inBinary ? s.count() : 0;
            }
        }
        return new OwnCodeShare(resolved, own);
    }

    private static boolean inExecve(List<Frame> frames) {
        return frames.stream().anyMatch(f -> f.kind() == FrameKind.KERNEL && f.resolved()
                && f.function().contains("sys_execve"));
    }

    double percent() {
        return own == 0 ? 0 : 100.0 * resolved / own;
    }

    @Override
    public String toString() {
        return String.format("%.2f %% of samples in its own code resolved (%d of %d)", percent(), resolved, own);
    }
}
