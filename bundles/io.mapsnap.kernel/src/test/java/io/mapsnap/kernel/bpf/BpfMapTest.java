package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Map operations against real kernel maps, including the errno each failure reports. */
class BpfMapTest {
    private BpfObject obj;

    @BeforeEach
    void load() throws BpfException {
        obj = TestObjects.open("test_maps");
        obj.load();
    }

    @AfterEach
    void close() {
        obj.close();
    }

    private static byte[] u32(int v) {
        return BpfObject.littleEndian(v, 4);
    }

    private static byte[] u64(long v) {
        return BpfObject.littleEndian(v, 8);
    }

    @Test
    void describesTheMap() {
        BpfMap hash = obj.map("hash");
        assertEquals(BpfMap.TYPE_HASH, hash.type());
        assertEquals(4, hash.keySize());
        assertEquals(8, hash.valueSize());
        assertEquals(1024, hash.maxEntries());
        assertTrue(hash.fd() >= 0);
    }

    @Test
    void missingKeyIsEmpty() throws BpfException {
        assertEquals(Optional.empty(), obj.map("hash").lookup(u32(7)));
        assertFalse(obj.map("hash").delete(u32(7)));
        assertEquals(Optional.empty(), obj.map("hash").nextKey(null));
    }

    @Test
    void updateLookupDelete() throws BpfException {
        BpfMap hash = obj.map("hash");
        hash.update(u32(1), u64(11), BpfMap.BPF_ANY);
        assertArrayEquals(u64(11), hash.lookup(u32(1)).orElseThrow());
        hash.update(u32(1), u64(12), BpfMap.BPF_EXIST);
        assertArrayEquals(u64(12), hash.lookup(u32(1)).orElseThrow());
        assertTrue(hash.delete(u32(1)));
        assertEquals(Optional.empty(), hash.lookup(u32(1)));
    }

    @Test
    void failuresCarryTheirErrno() throws BpfException {
        BpfMap hash = obj.map("hash");
        hash.update(u32(1), u64(1), BpfMap.BPF_ANY);
        BpfException exists = assertThrows(BpfException.class, () -> hash.update(u32(1), u64(2), BpfMap.BPF_NOEXIST));
        assertEquals("EEXIST", exists.errnoName());
        assertEquals("bpf_map_update_elem", exists.call());
        BpfException missing = assertThrows(BpfException.class, () -> hash.update(u32(2), u64(2), BpfMap.BPF_EXIST));
        assertEquals("ENOENT", missing.errnoName());
        BpfMap array = obj.map("array");
        BpfException outOfRange = assertThrows(BpfException.class, () -> array.update(u32(4), u64(1), BpfMap.BPF_ANY));
        assertEquals("E2BIG", outOfRange.errnoName());
        BpfException noDelete = assertThrows(BpfException.class, () -> array.delete(u32(0)));
        assertEquals("EINVAL", noDelete.errnoName());
        assertTrue(noDelete.getMessage().contains("EINVAL (22)"), noDelete.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hash.lookup(new byte[3]));
    }

    @Test
    void errnoIsCapturedPerCallAcrossThreads() throws Exception {
        // Two threads fail concurrently with different errnos: a shared errno buffer would mix them up.
        BpfMap hash = obj.map("hash");
        BpfMap array = obj.map("array");
        hash.update(u32(1), u64(1), BpfMap.BPF_ANY);
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable exists = () -> repeat(() -> hash.update(u32(1), u64(2), BpfMap.BPF_NOEXIST), "EEXIST", wrong);
        Runnable invalid = () -> repeat(() -> array.delete(u32(0)), "EINVAL", wrong);
        Thread a = Thread.ofPlatform().start(exists);
        Thread b = Thread.ofPlatform().start(invalid);
        a.join();
        b.join();
        assertEquals(null, wrong.get());
    }

    private interface Failing {
        void run() throws BpfException;
    }

    private static void repeat(Failing op, String errno, java.util.concurrent.atomic.AtomicReference<String> wrong) {
        for (int i = 0; i < 5000; i++) {
            try {
                op.run();
                wrong.compareAndSet(null, "call succeeded");
            } catch (BpfException e) {
                if (!errno.equals(e.errnoName())) {
                    wrong.compareAndSet(null, "expected " + errno + ", got " + e.errnoName());
                }
            }
        }
    }

    @Test
    void iteratesKeysAndBatches() throws BpfException {
        BpfMap hash = obj.map("hash");
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            hash.update(u32(i), u64(i * 3L), BpfMap.BPF_ANY);
            expected.put(i, i * 3L);
        }
        int keys = 0;
        for (Optional<byte[]> k = hash.nextKey(null); k.isPresent(); k = hash.nextKey(k.get())) {
            keys++;
        }
        assertEquals(600, keys);
        List<BpfMapEntry> batch = hash.lookupBatch();
        Map<Integer, Long> seen = new HashMap<>();
        for (BpfMapEntry e : batch) {
            seen.put(java.nio.ByteBuffer.wrap(e.key()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(),
                    java.nio.ByteBuffer.wrap(e.value()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        }
        assertEquals(expected, seen);
        assertEquals(600, hash.entries().size());
        assertEquals(4, obj.map("array").lookupBatch().size());
    }

    @Test
    void perCpuValuesHaveOneSlotPerCpu() throws BpfException {
        BpfMap percpu = obj.map("percpu");
        assertTrue(percpu.isPerCpu());
        int slots = percpu.valueBufferSize() / 8;
        assertTrue(slots >= Runtime.getRuntime().availableProcessors(), "slots " + slots);
        assertEquals(8 * slots, percpu.lookup(u32(0)).orElseThrow().length);
    }

    @Test
    void operationsNeedALoadedObject() throws BpfException {
        try (BpfObject fresh = TestObjects.open("test_maps")) {
            assertThrows(IllegalStateException.class, () -> fresh.map("hash").lookup(u32(0)));
        }
    }
}
