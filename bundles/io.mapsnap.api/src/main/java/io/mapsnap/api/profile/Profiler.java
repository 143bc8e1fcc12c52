package io.mapsnap.api.profile;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The sampling profiler: samples stacks with perf events and BPF, captures memory maps at collection time with
 * the best {@link io.mapsnap.api.vma.VmaCollector}, and symbolizes at the end, so processes that exited during the
 * profile are still named.
 */
@ProviderType
public interface Profiler {
    /**
     * Samples for {@code request.duration()} and returns the symbolized profile. Blocks the calling thread;
     * interrupting it ends sampling early and returns what was collected.
     *
     * @param progress called about once a second from the calling thread
     * @throws ProfilerException when sampling cannot start (the message carries the evidence)
     */
    Profile profile(ProfileRequest request, Consumer<ProfileProgress> progress) throws ProfilerException;
}
