package io.mapsnap.api.symbol;

import java.util.Objects;

/**
 * One stack frame after symbolization. A frame that could not be named keeps where it was ({@code module+0xoffset}),
 * never dropped.
 *
 * @param kind user, JIT or kernel code
 * @param address the instruction address as sampled
 * @param function the function's name, or {@code null} when it could not be resolved
 * @param functionOffset bytes from the function's start to {@code address} (0 when unresolved)
 * @param module the mapped file's path, {@code [kernel]} or a kernel module name, a pseudo mapping such as
 *        {@code [vdso]} or {@code [anon]}, or {@code null} when the address lay in no known mapping
 * @param moduleOffset the address relative to the module: the file offset for user code, the address otherwise
 * @param buildId the module's ELF build ID as lower-case hex, or {@code null}
 */
public record Frame(FrameKind kind, long address, String function, long functionOffset, String module,
        long moduleOffset, String buildId) {

    public Frame {
        Objects.requireNonNull(kind, "kind");
    }

    /** A frame that could not be named. */
    public static Frame unresolved(FrameKind kind, long address, String module, long moduleOffset, String buildId) {
        return new Frame(kind, address, null, 0, module, moduleOffset, buildId);
    }

    /** Whether the function was named. */
    public boolean resolved() {
        return function != null;
    }

    /** What people read: the function name, else {@code module+0xoffset}, else the bare address. */
    public String label() {
        if (function != null) {
            return function;
        }
        if (module != null) {
            return module + "+0x" + Long.toHexString(moduleOffset);
        }
        return "0x" + Long.toHexString(address);
    }
}
