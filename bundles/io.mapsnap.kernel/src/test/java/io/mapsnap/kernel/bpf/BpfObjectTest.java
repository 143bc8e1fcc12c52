package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Open, load, attach and read globals of the real probe objects against the running kernel. */
class BpfObjectTest {
    private static final int RESULT_CODE = 0; // struct mapsnap_probe_result { s64 code; u64 runs; }
    private static final int RESULT_RUNS = 8;

    @Test
    void loadsEveryProbeObject() throws Exception {
        for (String name : List.of("probe_minimal", "probe_kfunc_iter_perf_event", "probe_kfunc_iter_raw_tp")) {
            try (BpfObject obj = TestObjects.open(name)) {
                assertEquals(1, obj.programs().size(), name);
                obj.load();
                for (BpfProgram p : obj.programs()) {
                    assertTrue(p.fd() >= 0, name + " program fd " + p.fd());
                }
            }
        }
    }

    @Test
    void describesProgramsAndMaps() throws Exception {
        try (BpfObject obj = TestObjects.open("probe_kfunc_iter_raw_tp")) {
            BpfProgram p = obj.program("probe_kfunc_iter_raw_tp");
            assertEquals("raw_tp/sys_enter", p.sectionName());
            assertEquals(17, p.type()); // BPF_PROG_TYPE_RAW_TRACEPOINT
            BpfMap rodata = obj.sectionMap(".rodata");
            assertTrue(rodata.name().endsWith(".rodata"), rodata.name());
            assertEquals(new BpfObject.GlobalVariable(".rodata", "target_tgid", 0, 4), obj.global(".rodata", "target_tgid"));
            assertEquals(16, obj.global(".data", "result").size());
            assertThrows(NoSuchElementException.class, () -> obj.global(".rodata", "no_such_variable"));
            assertThrows(NoSuchElementException.class, () -> obj.program("nope"));
        }
    }

    @Test
    void kfuncIteratorSucceedsInRawTracepoint() throws Exception {
        try (BpfObject obj = TestObjects.open("probe_kfunc_iter_raw_tp")) {
            obj.setRodata("target_tgid", TestObjects.pid());
            obj.load();
            assertEquals(1, obj.readGlobalLong(".data", "result", RESULT_CODE), "initial code from .data");
            obj.program("probe_kfunc_iter_raw_tp").attach();
            TestObjects.syscalls(20);
            long code = obj.readGlobalLong(".data", "result", RESULT_CODE);
            long runs = obj.readGlobalLong(".data", "result", RESULT_RUNS);
            System.out.println("probe_kfunc_iter_raw_tp: code=" + code + " runs=" + runs);
            assertTrue(runs > 0, "runs " + runs);
            assertEquals(0, code);
        }
    }

    @Test
    void kfuncIteratorIsBusyInPerfEvent() throws Exception {
        try (BpfObject obj = TestObjects.open("probe_kfunc_iter_perf_event")) {
            obj.setRodataInt("target_tgid", TestObjects.pid());
            obj.load();
            List<PerfEvent> events = PerfEvent.openCpuClockOnEachCpu(1000);
            long code;
            long runs;
            try {
                for (PerfEvent e : events) {
                    obj.program("probe_kfunc_iter_perf_event").attachPerfEvent(e);
                }
                spin(300);
                code = obj.readGlobalLong(".data", "result", RESULT_CODE);
                runs = obj.readGlobalLong(".data", "result", RESULT_RUNS);
            } finally {
                obj.close();
                events.forEach(PerfEvent::close);
            }
            System.out.println("probe_kfunc_iter_perf_event: code=" + code + " runs=" + runs);
            assertTrue(runs > 0, "no cpu-clock sample hit this process: runs=" + runs);
            assertEquals(-Errno.EBUSY, code, "6.18 stable refuses bpf_iter_task_vma_new with IRQs off");
        }
    }

    @Test
    void rodataIsFrozenAfterLoad() throws Exception {
        try (BpfObject obj = TestObjects.open("probe_kfunc_iter_raw_tp")) {
            obj.load();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> obj.setRodata("target_tgid", 1));
            assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
            assertThrows(IllegalStateException.class, obj::load);
        }
    }

    @Test
    void rejectsValuesThatDoNotFit() throws Exception {
        try (BpfObject obj = TestObjects.open("test_maps")) {
            assertThrows(IllegalArgumentException.class, () -> obj.setRodata("small_knob", 256));
            obj.setRodata("small_knob", 200);
            obj.setRodata("target_tgid", TestObjects.pid());
            obj.load();
            obj.program("test_maps_count").attach();
            TestObjects.syscalls(5);
            assertEquals(200, obj.readGlobalLong(".bss", "seen_knob", 0));
            assertTrue(obj.readGlobalLong(".bss", "hits", 0) > 0);
        }
    }

    @Test
    void verifierRejectionCarriesTheLog() throws Exception {
        try (BpfObject obj = TestObjects.open("test_invalid")) {
            BpfLoadException e = assertThrows(BpfLoadException.class, obj::load);
            System.out.println("BpfLoadException: " + e.getMessage() + " errno=" + e.errnoName());
            assertEquals("bpf_object__load", e.call());
            assertTrue(e.verifierLog().contains("invalid access to map value"), e.verifierLog());
            assertTrue(e.verifierLog().startsWith("--- program test_invalid ---"), e.verifierLog());
            assertEquals("EACCES", e.errnoName(), e.getMessage());
        }
    }

    @Test
    void logLevelOneKeepsTheLogOfASuccessfulLoad() throws Exception {
        try (BpfObject obj = TestObjects.open("probe_minimal")) {
            obj.setLogLevel(1);
            obj.load();
            String log = obj.program("probe_minimal").verifierLog();
            assertTrue(log.contains("processed"), log);
        }
        try (BpfObject obj = TestObjects.open("probe_minimal")) {
            obj.load();
            assertEquals("", obj.program("probe_minimal").verifierLog());
        }
    }

    @Test
    void autoloadOffSkipsTheProgram() throws Exception {
        try (BpfObject obj = TestObjects.open("test_invalid")) {
            obj.program("test_invalid").setAutoload(false);
            obj.load();
            assertTrue(obj.program("test_invalid").fd() < 0);
        }
    }

    @Test
    void closeIsIdempotentAndDestroysLinks() throws Exception {
        BpfObject obj = TestObjects.open("probe_minimal");
        obj.load();
        BpfLink link = obj.program("probe_minimal").attachRawTracepoint("sys_enter");
        assertTrue(link.fd() >= 0);
        obj.close();
        obj.close();
        link.close();
        assertThrows(IllegalStateException.class, link::fd);
        assertThrows(IllegalStateException.class, () -> obj.program("probe_minimal").fd());
    }

    @Test
    void rejectsGarbageElf() {
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open("garbage", new byte[64]));
        assertEquals("bpf_object__open_mem", e.call());
        System.out.println("garbage ELF: " + e.getMessage());
    }

    private static void spin(long millis) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = Thread.ofPlatform().name("spinner").start(() -> {
            long x = 0;
            while (!stop.get()) {
                x += System.nanoTime() & 1;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        Thread.sleep(millis);
        stop.set(true);
        spinner.join(TimeUnit.SECONDS.toMillis(5));
    }
}
