package io.mapsnap.kernel.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/**
 * A sampling perf event (perf_event_open) to attach perf_event BPF programs to. Opened disabled; libbpf's
 * bpf_program__attach_perf_event enables it.
 *
 * <p>{@code pid} follows perf_event_open(2): a thread id ({@code -1}: every task, then {@code cpu} must be
 * {@code >= 0}); {@code cpu} {@code -1} follows the thread on every CPU. To sample all threads of one process, open
 * one event per CPU with pid {@code -1} ({@link #openCpuClockOnEachCpu(long)}) and filter by tgid in the program.
 */
public final class PerfEvent implements AutoCloseable {
    public static final int TYPE_HARDWARE = 0;
    public static final int TYPE_SOFTWARE = 1;
    public static final long HW_CPU_CYCLES = 0;
    public static final long SW_CPU_CLOCK = 0;

    private final Syscalls sys;
    private final int type;
    private final int cpu;
    private int fd;

    private PerfEvent(Syscalls sys, int fd, int type, int cpu) {
        this.sys = sys;
        this.fd = fd;
        this.type = type;
        this.cpu = cpu;
    }

    /** A PERF_TYPE_SOFTWARE / PERF_COUNT_SW_CPU_CLOCK event sampling at {@code frequencyHz} (works without a PMU). */
    public static PerfEvent openCpuClock(int pid, int cpu, long frequencyHz) throws BpfException {
        return open(TYPE_SOFTWARE, SW_CPU_CLOCK, pid, cpu, frequencyHz);
    }

    /**
     * A PERF_TYPE_HARDWARE cycles event. Fails with ENOENT (or EOPNOTSUPP) on machines without a hardware PMU,
     * such as most VMs: callers fall back to {@link #openCpuClock}.
     */
    public static PerfEvent openHardwareCycles(int pid, int cpu, long frequencyHz) throws BpfException {
        return open(TYPE_HARDWARE, HW_CPU_CYCLES, pid, cpu, frequencyHz);
    }

    /** One cpu-clock event per online CPU, every task (pid -1). Closes what it opened if one CPU fails. */
    public static List<PerfEvent> openCpuClockOnEachCpu(long frequencyHz) throws BpfException {
        List<PerfEvent> events = new ArrayList<>();
        try {
            for (int cpu : onlineCpus()) {
                events.add(openCpuClock(-1, cpu, frequencyHz));
            }
            return events;
        } catch (BpfException | RuntimeException e) {
            events.forEach(PerfEvent::close);
            throw e;
        }
    }

    /** Any sampling event: {@code type}/{@code config} as in perf_event_open(2), frequency mode. */
    public static PerfEvent open(int type, long config, int pid, int cpu, long frequencyHz) throws BpfException {
        Syscalls sys = Syscalls.get();
        return new PerfEvent(sys, sys.perfEventOpen(type, config, frequencyHz, pid, cpu), type, cpu);
    }

    /** The CPUs listed in /sys/devices/system/cpu/online (e.g. {@code 0-1,4}). */
    public static List<Integer> onlineCpus() {
        try {
            String text = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            List<Integer> cpus = new ArrayList<>();
            for (String range : text.split(",")) {
                String[] ends = range.split("-");
                int from = Integer.parseInt(ends[0]);
                int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            }
            return cpus;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /sys/devices/system/cpu/online", e);
        }
    }

    public synchronized int fd() {
        if (fd < 0) {
            throw new IllegalStateException("perf event is closed");
        }
        return fd;
    }

    public int type() {
        return type;
    }

    public int cpu() {
        return cpu;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            sys.close(fd);
            fd = -1;
        }
    }
}
