package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both consumption paths against a real ring buffer fed by test_ringbuf.bpf.c. */
class RingBufferReaderTest {

    @ParameterizedTest
    @EnumSource(RingBufferReader.Mode.class)
    void deliversEveryRecordInOrder(RingBufferReader.Mode mode) throws Exception {
        try (RingBufferTestRig rig = new RingBufferTestRig(RingBufferTestRig.currentTid(), 5)) {
            List<Long> seqs = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(rig.ring(), r -> {
                assertEquals(RingBufferTestRig.RECORD_SIZE, r.byteSize());
                assertEquals(RingBufferTestRig.RECORD_SIZE, RingBufferTestRig.len(r));
                seqs.add(RingBufferTestRig.seq(r));
            }, mode)) {
                assertEquals(mode, reader.mode());
                rig.arm(true);
                TestObjects.syscalls(50); // a few hundred records, far below the ring's ~3,600
                rig.arm(false);
                while (reader.poll(0) > 0) {
                    // drain
                }
                long emitted = rig.emitted();
                assertEquals(0, rig.dropped(), "nothing may drop below capacity");
                assertTrue(emitted >= 250, "emitted " + emitted);
                assertEquals(emitted, seqs.size());
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(i, seqs.get(i), "record " + i + " out of order");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingBufferReader.Mode.class)
    void skipsDiscardedRecords(RingBufferReader.Mode mode) throws Exception {
        try (RingBufferTestRig rig = new RingBufferTestRig(RingBufferTestRig.currentTid(), 6, 3)) {
            List<Long> seqs = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(rig.ring(), r -> seqs.add(RingBufferTestRig.seq(r)), mode)) {
                rig.arm(true);
                TestObjects.syscalls(20);
                rig.arm(false);
                while (reader.poll(0) > 0) {
                    // drain
                }
                long emitted = rig.emitted();
                long discarded = rig.discarded();
                assertEquals(0, rig.dropped());
                assertEquals((emitted + 2) / 3, discarded, "every third record is discarded");
                assertEquals(emitted - discarded, seqs.size());
                long expected = 0;
                for (long s : seqs) {
                    if (expected % 3 == 0) {
                        expected++;
                    }
                    assertEquals(expected++, s, "discarded records must be skipped, the rest delivered in order");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingBufferReader.Mode.class)
    void countsDropsWhenTheRingIsFull(RingBufferReader.Mode mode) throws Exception {
        try (RingBufferTestRig rig = new RingBufferTestRig(RingBufferTestRig.currentTid(), 1000)) {
            List<Long> seqs = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(rig.ring(), r -> seqs.add(RingBufferTestRig.seq(r)), mode)) {
                rig.arm(true);
                TestObjects.syscalls(10); // >= 10,000 records into a ring that holds 3,640 of 72 bytes
                rig.arm(false);
                while (reader.poll(0) > 0) {
                    // drain
                }
                long emitted = rig.emitted();
                long dropped = rig.dropped();
                System.out.println(mode + ": emitted=" + emitted + " received=" + seqs.size() + " dropped=" + dropped);
                assertTrue(dropped > 0, "expected drops, emitted " + emitted);
                assertEquals(emitted, seqs.size() + dropped, "every record is either received or counted as dropped");
                assertEquals(RingBufferTestRig.RING_BYTES / (RingBufferTestRig.RECORD_SIZE + 8), seqs.size(),
                        "a full ring holds exactly this many records");
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "out of order at " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingBufferReader.Mode.class)
    void pollWakesUpForAnotherThread(RingBufferReader.Mode mode) throws Exception {
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().name("ringbuf-producer").start(() -> {
            try {
                tid.set(RingBufferTestRig.currentTid());
                ready.countDown();
                go.await();
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        try (RingBufferTestRig rig = new RingBufferTestRig(tid.get(), 3)) {
            List<Long> seqs = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(rig.ring(), r -> seqs.add(RingBufferTestRig.seq(r)), mode)) {
                rig.arm(true);
                go.countDown();
                int wakeUps = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (producer.isAlive() && System.nanoTime() < deadline) {
                    if (reader.poll(100) > 0) {
                        wakeUps++;
                    }
                }
                producer.join(TimeUnit.SECONDS.toMillis(10));
                rig.arm(false);
                while (reader.poll(0) > 0) {
                    // drain
                }
                assertTrue(wakeUps >= 5, "poll returned records only " + wakeUps + " times");
                assertEquals(0, rig.dropped());
                assertEquals(rig.emitted(), seqs.size());
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(i, seqs.get(i));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingBufferReader.Mode.class)
    void consumerExceptionsSurfaceFromPoll(RingBufferReader.Mode mode) throws Exception {
        try (RingBufferTestRig rig = new RingBufferTestRig(RingBufferTestRig.currentTid(), 2)) {
            try (RingBufferReader reader = RingBufferReader.open(rig.ring(), r -> {
                throw new IllegalStateException("consumer refuses");
            }, mode)) {
                rig.arm(true);
                TestObjects.syscalls(2);
                rig.arm(false);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.poll(0));
                assertEquals("consumer refuses", e.getMessage());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void rejectsOtherMapTypes() throws Exception {
        try (BpfObject obj = TestObjects.open("test_maps")) {
            obj.load();
            assertThrows(IllegalArgumentException.class, () -> RingBufferReader.open(obj.map("hash"), r -> { }));
        }
    }
}
