package io.mapsnap.kernel.capability;

import static io.mapsnap.api.capability.CapabilityResult.holds;
import static io.mapsnap.api.capability.CapabilityResult.missing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.PerfEvent;
import io.mapsnap.kernel.bpf.ProcMapEntry;
import io.mapsnap.kernel.bpf.ProcMapQuery;
import io.mapsnap.kernel.capability.ProbeObject.Configurer;
import io.mapsnap.kernel.vma.BackingFileMode;
import io.mapsnap.kernel.vma.WalkerKernelFacts;

/**
 * Capabilities only a real run shows: each probe loads a tiny program (bpf-programs/probe_*.bpf.c) in the
 * context under test and records what the kernel answered. Presence in BTF is not enough: 6.18 has the kfunc
 * iterator but refuses it in perf_event context.
 */
final class RuntimeProbes {
    private static final long SELF = ProcessHandle.current().pid();

    private RuntimeProbes() {
    }

    static List<CapabilityProbe> all() {
        return List.of(
                probe(Capability.BPF_LOAD, RuntimeProbes::bpfLoad),
                probe(Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT, RuntimeProbes::kfuncInPerfEvent),
                probe(Capability.TASK_WORK_SCHEDULE, RuntimeProbes::taskWork),
                probe(Capability.FENTRY, RuntimeProbes::fentry),
                probe(Capability.BPF_FIND_VMA, RuntimeProbes::findVma),
                probe(Capability.PROCMAP_QUERY, RuntimeProbes::procmapQuery),
                probe(Capability.HARDWARE_PMU, RuntimeProbes::hardwarePmu),
                probe(Capability.USER_BUILD_ID_STACKS, RuntimeProbes::buildIdStacks),
                probe(Capability.RINGBUF, RuntimeProbes::ringbuf),
                probe(Capability.SCHED_EXIT_SEES_MM, RuntimeProbes::schedExitSeesMm),
                probe(Capability.BACKING_FILE_MODE, RuntimeProbes::backingFileMode));
    }

    private static CapabilityResult bpfLoad(ProbeContext context) throws Exception {
        try (ProbeObject p = ProbeObject.load("probe_minimal", Configurer.NONE)) {
            return holds(Capability.BPF_LOAD, "raw_tp program probe_minimal loaded (prog fd "
                    + p.object.programs().get(0).fd() + ")");
        }
    }

    private static CapabilityResult kfuncInPerfEvent(ProbeContext context) throws Exception {
        Capability c = Capability.KFUNC_TASK_VMA_ITER_IN_PERF_EVENT;
        if (!hasKfuncs(context)) {
            return missing(c, "the kfuncs are not in this kernel's BTF");
        }
        try (ProbeObject p = ProbeObject.load("probe_kfunc_iter_perf_event", Configurer.targetTgid(SELF))) {
            p.sampleWhileSpinning();
            return sampled(c, p, "bpf_iter_task_vma_new in a perf_event (cpu-clock) sample");
        }
    }

    /**
     * The task_work kfuncs changed shape between builds: 7.x's bpf_task_work_schedule_resume(task, tw, map,
     * callback) with the program implicit; the five-argument form (with aux__prog) under that name when it appeared;
     * and the five-argument bpf_task_work_schedule_resume_impl of some 6.18 builds. One probe object per shape
     * (include/mapsnap_probe_task_work.h); the first that loads is the one that runs, and every refusal is quoted.
     */
    private static CapabilityResult taskWork(ProbeContext context) throws Exception {
        Capability c = Capability.TASK_WORK_SCHEDULE;
        List<String> refusals = new ArrayList<>();
        for (String variant : List.of("probe_task_work_implicit", "probe_task_work", "probe_task_work_impl")) {
            try (ProbeObject p = ProbeObject.load(variant, Configurer.targetTgid(SELF))) {
                // The deferred callback runs as the spinning thread next returns to user space (after a tick).
                p.sampleWhileSpinningUntil(q -> q.resultRuns() >= ProbeObject.ENOUGH_RUNS
                        && q.global(".bss", "callback_runs") > 0);
                long runs = p.resultRuns();
                long scheduled = p.resultCode();
                long callbacks = p.global(".bss", "callback_runs");
                long iter = p.object.readGlobalLong(".data", "callback_iter_code", 0);
                String evidence = (refusals.isEmpty() ? "" : String.join("; ", refusals) + "; ") + variant
                        + " loaded: scheduling returned " + describe(scheduled) + " on the last of " + runs
                        + " perf_event samples; the deferred callback ran " + callbacks
                        + " times, and bpf_iter_task_vma_new in it returned " + describe(iter);
                return runs > 0 && callbacks > 0 && iter == 0
                        ? holds(c, evidence).withReturnCode(iter)
                        : missing(c, evidence).withReturnCode(callbacks > 0 ? iter : scheduled);
            } catch (BpfLoadException e) {
                refusals.add(variant + " refused: " + e.refusal());
            }
        }
        return missing(c, String.join("; ", refusals));
    }

    private static CapabilityResult fentry(ProbeContext context) throws Exception {
        try (ProbeObject p = ProbeObject.load("probe_fentry", Configurer.NONE);
                BpfLink link = p.object.programs().get(0).attachTrace()) {
            return holds(Capability.FENTRY, "fentry/bpf_fentry_test1 loaded and attached");
        }
    }

    private static CapabilityResult findVma(ProbeContext context) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment target = arena.allocate(4096);
            long addr = target.address();
            try (ProbeObject p = ProbeObject.load("probe_find_vma",
                    o -> {
                        o.setRodataInt("target_tgid", (int) SELF);
                        o.setRodata("target_addr", addr);
                    })) {
                p.sampleWhileSpinningUntil(q -> q.resultRuns() >= ProbeObject.ENOUGH_RUNS
                        && q.global(".bss", "found_runs") > 0);
                long start = p.global(".bss", "found_start");
                long end = p.global(".bss", "found_end");
                long found = p.global(".bss", "found_runs");
                boolean inside = Long.compareUnsigned(start, addr) <= 0 && Long.compareUnsigned(addr, end) < 0;
                String evidence = String.format("bpf_find_vma(0x%x) in perf_event found VMA %x-%x in %d of %d samples;"
                        + " the last returned %s", addr, start, end, found, p.resultRuns(), describe(p.resultCode()));
                return found > 0 && inside
                        ? holds(Capability.BPF_FIND_VMA, evidence).withReturnCode(0)
                        : missing(Capability.BPF_FIND_VMA, evidence).withReturnCode(p.resultCode());
            }
        }
    }

    private static CapabilityResult procmapQuery(ProbeContext context) throws Exception {
        try (ProcMapQuery q = ProcMapQuery.open(SELF)) {
            List<ProcMapEntry> all = q.all();
            return holds(Capability.PROCMAP_QUERY, "PROCMAP_QUERY on /proc/self/maps answered " + all.size()
                    + " VMAs");
        }
    }

    private static CapabilityResult hardwarePmu(ProbeContext context) throws Exception {
        try (PerfEvent e = PerfEvent.openHardwareCycles(-1, 0, 99)) {
            return holds(Capability.HARDWARE_PMU, "perf_event_open(PERF_TYPE_HARDWARE, cycles) on CPU 0: fd " + e.fd());
        }
    }

    private static CapabilityResult buildIdStacks(ProbeContext context) throws Exception {
        // A child running a C program: its frames are in ELF files with build IDs (JIT frames have none).
        Process busy = new ProcessBuilder("sha256sum", "/dev/zero").start();
        try (ProbeObject p = ProbeObject.load("probe_build_id_stack", Configurer.targetTgid(busy.pid()))) {
            p.attachToCpuClock();
            long end = System.nanoTime() + ProbeObject.SPIN_MILLIS * 1_000_000;
            while (System.nanoTime() < end && (p.resultRuns() < ProbeObject.ENOUGH_RUNS
                    || p.global(".bss", "valid_frames") == 0)) {
                Thread.sleep(1);
            }
            p.stopSampling();
            long valid = p.global(".bss", "valid_frames");
            long ipOnly = p.global(".bss", "ip_frames");
            String evidence = "bpf_get_stack(BPF_F_USER_STACK|BPF_F_USER_BUILD_ID) over " + p.resultRuns()
                    + " samples of sha256sum: " + valid + " frames with a build ID, " + ipOnly + " with only an IP"
                    + (p.resultCode() < 0 ? "; last call returned " + describe(p.resultCode()) : "");
            return valid > 0 ? holds(Capability.USER_BUILD_ID_STACKS, evidence)
                    : missing(Capability.USER_BUILD_ID_STACKS, evidence);
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static CapabilityResult ringbuf(ProbeContext context) throws Exception {
        try (ProbeObject p = ProbeObject.load("probe_ringbuf", Configurer.NONE)) {
            return holds(Capability.RINGBUF, "BPF_MAP_TYPE_RINGBUF map created (" + p.object.map("events").maxEntries()
                    + " bytes) and a program writing it loaded");
        }
    }

    private static CapabilityResult schedExitSeesMm(ProbeContext context) throws Exception {
        try (ProbeObject p = ProbeObject.load("probe_sched_exit_mm", Configurer.targetTgid(SELF));
                BpfLink link = p.object.programs().get(0).attachTrace()) {
            for (int i = 0; i < 3; i++) {
                new ProcessBuilder("true").start().waitFor(5, TimeUnit.SECONDS);
            }
            long with = p.global(".bss", "with_mm");
            long without = p.global(".bss", "without_mm");
            String evidence = "tp_btf/sched_process_exit saw " + (with + without) + " exiting children: " + with
                    + " with their mm, " + without + " without";
            return with > 0 && without == 0 ? holds(Capability.SCHED_EXIT_SEES_MM, evidence)
                    : missing(Capability.SCHED_EXIT_SEES_MM, evidence);
        }
    }

    private static CapabilityResult backingFileMode(ProbeContext context) {
        BackingFileMode m = WalkerKernelFacts.running().backingFile();
        return m.bit() != 0 ? holds(Capability.BACKING_FILE_MODE, m.evidence())
                : missing(Capability.BACKING_FILE_MODE, m.evidence());
    }

    /** The probe's recorded code after samples: holds only when it ran and returned 0. */
    private static CapabilityResult sampled(Capability c, ProbeObject p, String what) throws BpfException {
        long code = p.resultCode();
        long runs = p.resultRuns();
        String evidence = runs == 0 ? what + ": the program never ran in that context"
                : what + " returned " + describe(code) + " (last of " + runs + " runs)";
        return runs > 0 && code == 0 ? holds(c, evidence).withReturnCode(0)
                : missing(c, evidence).withReturnCode(code);
    }

    private static boolean hasKfuncs(ProbeContext context) {
        return context.btf().map(b -> BtfProbes.TASK_VMA_KFUNCS.stream().allMatch(b::hasKfunc)).orElse(false);
    }

    static String describe(long code) {
        return code < 0 ? code + " (" + Errno.name((int) -code) + ")" : Long.toString(code);
    }

    interface RuntimeCheck {
        CapabilityResult run(ProbeContext context) throws Exception;
    }

    /** A runtime probe: a failure of the kernel to load or run it is the evidence that it is missing. */
    private static CapabilityProbe probe(Capability capability, RuntimeCheck check) {
        return new CapabilityProbe(capability, context -> {
            try {
                return check.run(context);
            } catch (BpfLoadException e) {
                return missing(capability, e.refusal()).withReturnCode(-e.errno());
            } catch (BpfException e) {
                return missing(capability, e.getMessage()).withReturnCode(-e.errno());
            } catch (IOException e) {
                return missing(capability, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing(capability, "interrupted while probing");
            } catch (Exception | LinkageError e) {
                // LibbpfUnavailableException lands here too: no libbpf, no BPF capability.
                return missing(capability, e.toString());
            }
        });
    }
}
