package io.mapsnap.export;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileMetadata;
import io.mapsnap.api.profile.ProfileStack;
import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/** Small profiles built by hand whose every stack the tests know. */
final class TestProfiles {
    static final String APP = "/usr/bin/app";
    static final String APP_BUILD_ID = "0123456789abcdef0123456789abcdef01234567";
    static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    static final String LIBC_BUILD_ID = "fedcba9876543210fedcba9876543210fedcba98";
    static final String PERF_MAP = "/tmp/perf-200.map";
    static final Instant START = Instant.parse("2026-01-02T03:04:05.123456789Z");

    static final Frame START_MAIN = user(APP, APP_BUILD_ID, "_start", 0x1040);
    static final Frame MAIN = user(APP, APP_BUILD_ID, "main", 0x1180);
    static final Frame COMPUTE = user(APP, APP_BUILD_ID, "compute", 0x1250);
    static final Frame MEMCPY = user(LIBC, LIBC_BUILD_ID, "__memcpy_avx_unaligned_erms", 0x1a0b10);
    static final Frame LIBC_UNRESOLVED = Frame.unresolved(FrameKind.USER, 0x7f0000029d90L, LIBC, 0x29d90,
            LIBC_BUILD_ID);
    static final Frame WRITE = user(LIBC, LIBC_BUILD_ID, "__GI___libc_write", 0x11c574);
    static final Frame SYSCALL_ENTRY = kernel("entry_SYSCALL_64_after_hwframe", 0xffffffff81e00076L);
    static final Frame KSYS_WRITE = kernel("ksys_write", 0xffffffff813e1c3aL);
    static final Frame VFS_WRITE = kernel("vfs_write", 0xffffffff813e1a10L);
    static final Frame START_THREAD = user(LIBC, LIBC_BUILD_ID, "start_thread", 0x891f4);
    static final Frame JIT_BAR = new Frame(FrameKind.JIT, 0x7f1234560100L, "LFoo;::bar", 0x40, PERF_MAP,
            0x7f1234560100L, null);
    static final Frame NOWHERE = Frame.unresolved(FrameKind.USER, 0xdeadbeefL, null, 0, null);

    private TestProfiles() {
    }

    static Frame user(String module, String buildId, String function, long offset) {
        return new Frame(FrameKind.USER, 0x555555554000L + offset, function, 0x10, module, offset, buildId);
    }

    static Frame kernel(String function, long address) {
        return new Frame(FrameKind.KERNEL, address, function, 0x1a, "[kernel]", address, null);
    }

    static ProfileMetadata metadata(long samples, long lost) {
        return new ProfileMetadata(START, Duration.ofMillis(10_250), 99, "cpu-clock", "kfunc", "6.18.44-test",
                samples, lost, 2, 1, Map.of("stack-errors", 0L));
    }

    /**
     * Two processes: {@code app} (pid 100) computing, copying and writing through the kernel; {@code worker}
     * (pid 200) in JIT code and at an address in no known mapping.
     */
    static Profile twoProcesses() {
        List<ProfileStack> stacks = List.of(
                new ProfileStack(100, "app", List.of(START_MAIN, MAIN, COMPUTE, MEMCPY), 7),
                new ProfileStack(100, "app", List.of(START_MAIN, MAIN, COMPUTE, LIBC_UNRESOLVED), 3),
                new ProfileStack(100, "app",
                        List.of(START_MAIN, MAIN, WRITE, SYSCALL_ENTRY, KSYS_WRITE, VFS_WRITE), 5),
                new ProfileStack(200, "worker", List.of(START_THREAD, JIT_BAR), 2),
                new ProfileStack(200, "worker", List.of(START_THREAD, NOWHERE), 1));
        return new Profile(metadata(18, 4), stacks);
    }

    static Profile empty() {
        return new Profile(metadata(0, 0), List.of());
    }
}
