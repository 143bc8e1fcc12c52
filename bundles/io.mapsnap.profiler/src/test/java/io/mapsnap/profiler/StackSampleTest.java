package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Decoding both shapes of struct mapsnap_sample from bytes laid out as the C struct is: the plain sampler's 8-byte
 * user frames and the build-ID sampler's 32-byte struct bpf_stack_build_id frames, told apart by the record's size;
 * lengths and statuses from the kernel are still checked. The real records are decoded in StackSamplerTest.
 */
class StackSampleTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final String BUILD_ID = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void aPlainRecordHasInstructionPointersAndNoBuildIds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = header(arena, SampleRecordLayout.SIZE, 3 * 8, 2 * 8);
            for (int i = 0; i < 3; i++) {
                r.set(LONG, SampleRecordLayout.USER + i * 8L, 0x400000L + i);
            }
            r.set(LONG, SampleRecordLayout.KERNEL, 0xffffffff81000000L);
            r.set(LONG, SampleRecordLayout.KERNEL + 8, 0xffffffff81000010L);
            StackSample s = StackSample.decode(r);
            assertCommon(s);
            assertArrayEquals(new long[] {0x400000, 0x400001, 0x400002}, s.user());
            assertNull(s.userBuildIds());
            assertArrayEquals(new long[] {0xffffffff81000000L, 0xffffffff81000010L}, s.kernel());
        }
    }

    @Test
    void aBuildIdRecordHasOffsetsWithBuildIdsAndIpsWithout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = header(arena, SampleRecordLayout.BUILD_ID_SIZE,
                    2 * SampleRecordLayout.BUILD_ID_FRAME, 8);
            long valid = SampleRecordLayout.USER;
            r.set(INT, valid + SampleRecordLayout.BUILD_ID_STATUS, SampleRecordLayout.STATUS_VALID);
            MemorySegment.copy(HexFormat.of().parseHex(BUILD_ID), 0, r, ValueLayout.JAVA_BYTE,
                    valid + SampleRecordLayout.BUILD_ID, SampleRecordLayout.BUILD_ID_LEN);
            r.set(LONG, valid + SampleRecordLayout.BUILD_ID_OFFSET_OR_IP, 0x1139);
            long ip = SampleRecordLayout.USER + SampleRecordLayout.BUILD_ID_FRAME;
            r.set(INT, ip + SampleRecordLayout.BUILD_ID_STATUS, SampleRecordLayout.STATUS_IP);
            r.set(LONG, ip + SampleRecordLayout.BUILD_ID_OFFSET_OR_IP, 0x7f0000001000L);
            r.set(LONG, SampleRecordLayout.BUILD_ID_KERNEL, 0xffffffff81000000L);
            StackSample s = StackSample.decode(r);
            assertCommon(s);
            assertArrayEquals(new long[] {0x1139, 0x7f0000001000L}, s.user());
            assertArrayEquals(new String[] {BUILD_ID, null}, s.userBuildIds());
            assertArrayEquals(new long[] {0xffffffff81000000L}, s.kernel(), "kernel frames after 127 wide frames");
        }
    }

    @Test
    void aBuildIdFrameWithAnUnknownStatusIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = header(arena, SampleRecordLayout.BUILD_ID_SIZE, SampleRecordLayout.BUILD_ID_FRAME, 0);
            r.set(INT, SampleRecordLayout.USER + SampleRecordLayout.BUILD_ID_STATUS, 7);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackSample.decode(r));
            assertTrue(e.getMessage().contains("status 7"), e.getMessage());
        }
    }

    @Test
    void lengthsBeyondTheRecordAreClampedAndErrorsKept() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = header(arena, SampleRecordLayout.BUILD_ID_SIZE, -14, 1 << 20);
            StackSample s = StackSample.decode(r);
            assertEquals(0, s.user().length);
            assertEquals(-14, s.userError());
            assertEquals(SampleRecordLayout.STACK_DEPTH, s.kernel().length);
        }
    }

    @Test
    void aRecordOfAnotherSizeIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocate(SampleRecordLayout.SIZE + 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackSample.decode(r));
            assertTrue(e.getMessage().contains("expected " + SampleRecordLayout.SIZE + " or "
                    + SampleRecordLayout.BUILD_ID_SIZE), e.getMessage());
        }
    }

    private static MemorySegment header(Arena arena, long size, int userBytes, int kernelBytes) {
        MemorySegment r = arena.allocate(size);
        r.set(INT, SampleRecordLayout.TGID, 4242);
        r.set(INT, SampleRecordLayout.PID, 4243);
        r.set(INT, SampleRecordLayout.CPU, 1);
        r.set(INT, SampleRecordLayout.USER_BYTES, userBytes);
        r.set(INT, SampleRecordLayout.KERNEL_BYTES, kernelBytes);
        r.set(LONG, SampleRecordLayout.TIME_NS, 123_456_789L);
        r.set(LONG, SampleRecordLayout.START_BOOTTIME, 2_000_000_000L);
        r.set(LONG, SampleRecordLayout.MM, 0xffff888000001000L);
        MemorySegment.copy("worker".getBytes(StandardCharsets.US_ASCII), 0, r, ValueLayout.JAVA_BYTE,
                SampleRecordLayout.COMM, 6);
        return r;
    }

    private static void assertCommon(StackSample s) {
        assertEquals(4242, s.tgid());
        assertEquals(4243, s.pid());
        assertEquals(1, s.cpu());
        assertEquals(123_456_789L, s.timeBootNanos());
        assertEquals(2_000_000_000L, s.startBootNanos());
        assertEquals(0xffff888000001000L, s.mm());
        assertEquals("worker", s.comm());
    }
}
