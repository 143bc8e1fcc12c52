package io.mapsnap.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sample ring is sized to the rate it must hold, as a power of two, within its bounds. */
class SamplerRingsTest {
    private static final int RECORD = SampleRecordLayout.SIZE;

    @Test
    void aSmallMachineAtTheDefaultRateGetsTheSmallestRing() {
        assertEquals(SamplerRings.MIN_SAMPLE_RING, SamplerRings.sampleRingBytes(2, 99, RECORD));
    }

    @Test
    void theRingHoldsTheHeldSecondsOfEveryCpuAtTheFullRate() {
        for (int cpus : new int[] {1, 2, 16, 64, 256}) {
            for (int hz : new int[] {49, 99, 999, 4999}) {
                int bytes = SamplerRings.sampleRingBytes(cpus, hz, RECORD);
                assertEquals(1, Integer.bitCount(bytes), "a power of two: " + bytes);
                double need = (double) cpus * hz * (RECORD + 8) * SamplerRings.HELD_SECONDS;
                assertTrue(bytes >= Math.min(need, SamplerRings.MAX_SAMPLE_RING), cpus + " CPUs at " + hz + " Hz");
                assertTrue(bytes == SamplerRings.MIN_SAMPLE_RING || bytes / 2 < need, "no larger than it must be");
                assertTrue(bytes <= SamplerRings.MAX_SAMPLE_RING);
            }
        }
    }

    @Test
    void buildIdRecordsNeedMoreRoomThanAddresses() {
        assertTrue(SamplerRings.sampleRingBytes(64, 999, SampleRecordLayout.BUILD_ID_SIZE)
                > SamplerRings.sampleRingBytes(64, 999, RECORD));
    }
}
