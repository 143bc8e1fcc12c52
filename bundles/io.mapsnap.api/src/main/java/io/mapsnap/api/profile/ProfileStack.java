package io.mapsnap.api.profile;

import java.util.List;
import java.util.Objects;

import io.mapsnap.api.symbol.Frame;

/**
 * One distinct stack and how many samples had it.
 *
 * @param tgid the process
 * @param comm the process name when sampled
 * @param frames root first: user frames from the outermost (e.g. {@code _start}) to the innermost, then kernel
 *        frames from the outermost (the system call entry) to the leaf
 * @param count samples
 */
public record ProfileStack(int tgid, String comm, List<Frame> frames, long count) {
    public ProfileStack {
        Objects.requireNonNull(comm, "comm");
        frames = List.copyOf(frames);
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
    }
}
