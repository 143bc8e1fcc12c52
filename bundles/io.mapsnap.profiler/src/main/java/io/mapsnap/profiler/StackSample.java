package io.mapsnap.profiler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One sample as the sampling program wrote it.
 *
 * @param tgid process
 * @param pid thread
 * @param cpu where it was taken
 * @param timeBootNanos CLOCK_BOOTTIME, the walks' clock
 * @param startBootNanos the process's start (task->start_boottime): with the tgid, its identity
 * @param mm the address space sampled in
 * @param comm the thread's name
 * @param user user frames, innermost first (empty when the task was a kernel thread or the stack was unreadable):
 *        instruction pointers, except where {@code userBuildIds} has a build ID: there the file offset
 * @param userBuildIds per user frame, the build ID (lower-case hex) the kernel normalized it with, or null where it
 *        gave the IP only; null for a sampler without build IDs
 * @param kernel kernel frames, innermost first
 * @param userError bpf_get_stack's negative error for the user stack, or 0
 */
record StackSample(int tgid, int pid, int cpu, long timeBootNanos, long startBootNanos, long mm, String comm,
        long[] user, String[] userBuildIds, long[] kernel, int userError) {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Decodes a record of either shape (its size says which); the bytes come from the kernel but are still bounded. */
    static StackSample decode(MemorySegment r) {
        boolean buildIds = r.byteSize() == SampleRecordLayout.BUILD_ID_SIZE;
        if (!buildIds && r.byteSize() != SampleRecordLayout.SIZE) {
            throw new IllegalArgumentException("sample record of " + r.byteSize() + " bytes, expected "
                    + SampleRecordLayout.SIZE + " or " + SampleRecordLayout.BUILD_ID_SIZE);
        }
        int userBytes = r.get(INT, SampleRecordLayout.USER_BYTES);
        int kernelBytes = r.get(INT, SampleRecordLayout.KERNEL_BYTES);
        long[] user;
        String[] userBuildIds = null;
        if (buildIds) {
            int n = Math.clamp(userBytes / SampleRecordLayout.BUILD_ID_FRAME, 0, SampleRecordLayout.STACK_DEPTH);
            user = new long[n];
            userBuildIds = new String[n];
            for (int i = 0; i < n; i++) {
                long at = SampleRecordLayout.USER + (long) i * SampleRecordLayout.BUILD_ID_FRAME;
                user[i] = r.get(LONG, at + SampleRecordLayout.BUILD_ID_OFFSET_OR_IP);
                int status = r.get(INT, at + SampleRecordLayout.BUILD_ID_STATUS);
                if (status == SampleRecordLayout.STATUS_VALID) {
                    userBuildIds[i] = HexFormat.of().formatHex(r.asSlice(at + SampleRecordLayout.BUILD_ID,
                            SampleRecordLayout.BUILD_ID_LEN).toArray(ValueLayout.JAVA_BYTE));
                } else if (status != SampleRecordLayout.STATUS_IP) {
                    throw new IllegalArgumentException("user frame " + i + " of " + n + " has build-ID status "
                            + status);
                }
            }
        } else {
            user = frames(r, SampleRecordLayout.USER, userBytes);
        }
        int kernelAt = buildIds ? SampleRecordLayout.BUILD_ID_KERNEL : SampleRecordLayout.KERNEL;
        return new StackSample(r.get(INT, SampleRecordLayout.TGID), r.get(INT, SampleRecordLayout.PID),
                r.get(INT, SampleRecordLayout.CPU), r.get(LONG, SampleRecordLayout.TIME_NS),
                r.get(LONG, SampleRecordLayout.START_BOOTTIME), r.get(LONG, SampleRecordLayout.MM), comm(r), user,
                userBuildIds, frames(r, kernelAt, kernelBytes), Math.min(userBytes, 0));
    }

    /** /proc/PID/stat's start time in clock ticks (USER_HZ 100), as snapshots carry it. */
    long startTimeClockTicks() {
        return startBootNanos / 10_000_000L;
    }

    private static long[] frames(MemorySegment r, int offset, int bytes) {
        int n = Math.clamp(bytes / SampleRecordLayout.IP_FRAME, 0, SampleRecordLayout.STACK_DEPTH);
        long[] f = new long[n];
        for (int i = 0; i < n; i++) {
            f[i] = r.get(LONG, offset + i * 8L);
        }
        return f;
    }

    private static String comm(MemorySegment r) {
        byte[] b = r.asSlice(SampleRecordLayout.COMM, SampleRecordLayout.COMM_LEN).toArray(ValueLayout.JAVA_BYTE);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }
}
