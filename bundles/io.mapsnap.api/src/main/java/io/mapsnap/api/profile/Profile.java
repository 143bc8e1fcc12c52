package io.mapsnap.api.profile;

import java.util.List;
import java.util.Objects;

/**
 * A symbolized profile: what every exporter writes.
 *
 * @param metadata how it was taken
 * @param stacks the distinct stacks with their sample counts
 */
public record Profile(ProfileMetadata metadata, List<ProfileStack> stacks) {
    public Profile {
        Objects.requireNonNull(metadata, "metadata");
        stacks = List.copyOf(stacks);
    }

    /** Samples over all stacks. */
    public long totalSamples() {
        return stacks.stream().mapToLong(ProfileStack::count).sum();
    }
}
