package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/** test_ringbuf.bpf.c loaded for one target thread, armed and disarmed through its .bss. */
final class RingBufferTestRig implements AutoCloseable {
    static final int RECORD_SIZE = 64; // struct test_ringbuf_record
    static final int RING_BYTES = 256 * 1024;

    final BpfObject obj;

    RingBufferTestRig(int targetTid, int recordsPerTrigger) throws BpfException {
        this(targetTid, recordsPerTrigger, 0);
    }

    RingBufferTestRig(int targetTid, int recordsPerTrigger, int discardEvery) throws BpfException {
        obj = TestObjects.open("test_ringbuf");
        try {
            obj.setRodataInt("discard_every", discardEvery);
            obj.setRodataInt("target_pid", targetTid);
            obj.setRodataInt("records_per_trigger", recordsPerTrigger);
            obj.load();
            obj.program("test_ringbuf").attach();
        } catch (BpfException | RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    static int currentTid() throws BpfException {
        return Syscalls.get().gettid();
    }

    BpfMap ring() {
        return obj.map("events");
    }

    /** While armed, every syscall of the target thread emits records_per_trigger records. */
    void arm(boolean on) throws BpfException {
        obj.writeGlobal(".data.control", "armed", BpfObject.littleEndian(on ? 1 : 0, 8));
    }

    long emitted() throws BpfException {
        return obj.readGlobalLong(".bss", "next_seq", 0);
    }

    long dropped() throws BpfException {
        return obj.readGlobalLong(".bss", "dropped", 0);
    }

    long discarded() throws BpfException {
        return obj.readGlobalLong(".bss", "discarded", 0);
    }

    static long seq(MemorySegment record) {
        return record.get(JAVA_LONG_UNALIGNED, 0);
    }

    static int len(MemorySegment record) {
        return record.get(JAVA_INT_UNALIGNED, 12);
    }

    @Override
    public void close() {
        obj.close();
    }
}
