package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BPF_ENABLE_STATS + BPF_OBJ_GET_INFO_BY_FD against a program triggered by this process. */
class BpfRunStatsTest {
    @Test
    void runCountGrowsWhileStatsAreOn() throws Exception {
        try (BpfObject obj = TestObjects.open("test_maps")) {
            obj.setRodata("target_tgid", TestObjects.pid());
            obj.load();
            BpfProgram prog = obj.program("test_maps_count");
            BpfRunStats before = prog.runStats();
            assertEquals(17, before.type());
            assertTrue(before.id() > 0);
            prog.attach();
            try (BpfStats stats = BpfStats.enableRunTime()) {
                assertTrue(stats.fd() >= 0);
                TestObjects.syscalls(50);
                BpfRunStats after = prog.runStats();
                System.out.println("run stats before=" + before + " after=" + after);
                assertTrue(after.runCount() > before.runCount(), before + " -> " + after);
                assertTrue(after.runTimeNs() > 0, after.toString());
            }
        }
    }

    @Test
    void statsFdClosesOnce() throws Exception {
        BpfStats stats = BpfStats.enableRunTime();
        stats.close();
        stats.close();
        assertEquals(-1, stats.fd());
    }
}
