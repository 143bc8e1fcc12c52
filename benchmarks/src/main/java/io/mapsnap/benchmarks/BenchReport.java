package io.mapsnap.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The results of one run, as a console table and as docs/benchmarks.md.
 *
 * @param machine what was measured on
 * @param settings how much repetition
 * @param command the command line that produced it
 * @param loadBefore load averages when the run started
 * @param loadAfter load averages when it ended
 * @param elapsedSeconds how long the run took
 * @param rows the measured rows, in the order they finished
 * @param targets goals and how this run did
 * @param notes what could not be measured here, and why
 */
record BenchReport(MachineInfo machine, Settings settings, String command, String loadBefore, String loadAfter,
        long elapsedSeconds, List<Row> rows, List<Target> targets, List<String> notes) {

    private static final String[] HEADER = { "row", "measures", "median", "spread", "per VMA (median)", "ratio" };

    /** A plain-text table, grouped, for the terminal. */
    String table() {
        List<String[]> lines = new ArrayList<>();
        String group = null;
        for (Row r : rows) {
            if (!Objects.equals(group, r.group())) {
                group = r.group();
                lines.add(new String[] { "## " + group });
            }
            lines.add(cells(r));
        }
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (String[] l : lines) {
            if (l.length == HEADER.length) {
                for (int i = 0; i < l.length; i++) {
                    width[i] = Math.max(width[i], l[i].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        appendPadded(out, HEADER, width);
        for (String[] l : lines) {
            if (l.length == 1) {
                out.append(l[0]).append('\n');
            } else {
                appendPadded(out, l, width);
            }
        }
        out.append('\n');
        for (Target t : targets) {
            out.append(t.met() ? "[met]    " : "[missed] ").append(t.goal()).append(": ").append(t.measured())
                    .append('\n');
        }
        return out.toString();
    }

    private static void appendPadded(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(String.format("%-" + width[i] + "s", cells[i]));
            if (i < cells.length - 1) {
                line.append("  ");
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String[] cells(Row r) {
        Spread v = r.value();
        return new String[] { r.name(), r.measures(), Units.median(v),
                Units.range(v) + " (" + v.spreadKind() + ", n=" + v.samples() + ")",
                r.perItem() == null ? "" : Units.median(r.perItem()), r.comparison() };
    }

    /** docs/benchmarks.md. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# mapsnap benchmarks\n\n");
        md.append("Written by `").append(command).append("` (").append(elapsedSeconds)
                .append(" s); rerun it to refresh this file, do not edit by hand. Speed is never asserted in tests.\n\n");
        md.append("## Machine\n\n");
        md.append("| CPU | cores | RAM | kernel | Java | date (UTC) | load average at start → end |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        md.append("| ").append(machine.cpu()).append(" | ").append(machine.cores()).append(" | ")
                .append(machine.memory()).append(" | ").append(machine.kernel()).append(" | ").append(machine.java())
                .append(" | ").append(machine.date()).append(" | ").append(loadBefore).append(" → ")
                .append(loadAfter).append(" |\n\n");
        md.append("## Method\n\n");
        md.append("""
                - **Map snapshots** (rows *map snapshot, …*): one process's full memory map, taken by every mapsnap \
                source that loads on this host and by the native floors (`benchmarks/native/`), of a sleeping \
                `sleep` (small) and of `many_vmas 3000` (large: 3,000 anonymous pages of alternating protections). \
                Every method first takes warm-up snapshots, then all methods run in the same rounds, each round in \
                a rotated order, so that load from elsewhere on the machine falls on all of them alike. \
                *In-kernel run time* is the walker program's `run_time_ns` delta from `BPF_OBJ_GET_INFO_BY_FD` \
                around each snapshot with `BPF_ENABLE_STATS(BPF_STATS_RUN_TIME)` on; *end-to-end* is the wall time \
                of `snapshot(pid)` until the `VmaSnapshot` of Java records is returned (for the BPF walkers: \
                attach the iterator link, read it, drain the ring buffer on a second thread, decode).
                - **Floors** (`benchmarks/native/vma_floor.c`, a coprocess driven over a pipe so its runs \
                interleave with the Java ones): (a) `vma_floor.bpf.c`, an `iter/task` program that runs \
                `bpf_iter_task_vma_new/next/destroy` over the target and only counts (its in-kernel time from the \
                same BPF statistics, and the wall time of attach + read + detach); (b) C read + parse of \
                `/proc/PID/maps` into an array of fields; (c) C enumeration with the `PROCMAP_QUERY` ioctl, names \
                included.
                - **Ratios** are of medians: *× procfs* divides by mapsnap's own `procfs` source (Java, read + \
                parse) on the same process; *× its floor* divides by the matching floor: the kfunc iterator floor \
                for the BPF walkers (in-kernel by in-kernel, wall by wall), the C text parse for `procfs`, the C \
                `PROCMAP_QUERY` loop for `procmap-query`. Below 1× is cheaper.
                - **Ring buffer**: JMH, throughput; before each invocation (untimed) `benchmarks/bpf/\
                ring_producer.bpf.c` fills a ring with 20 synthetic snapshots of 1,000 VMA records each in the \
                walkers' record format; the invocation consumes them and decodes each with `VmaRecordDecoder` \
                straight from the ring into `Vma` records, as the walkers do. Both paths: `mmap` (Java reads the \
                mapped ring) and `libbpf` (`ring_buffer__consume` with an FFM upcall per record).
                - **BTF**: warm with JMH (average time of read + parse, and of parse alone); cold as the first \
                parse in a fresh `java` process (time measured inside it), plus that process's wall time.
                - **Start-up**: wall time of `./mapsnap caps` on a built tree.
                - **Busy machine** for every profiler row: one `short_lived` chain per CPU \
                (`integration-tests/workloads/`), each running children one after another that burn CPU for \
                100 ms in their own functions and exit, so every tick of every CPU is a sample and processes come \
                and go (about 20 a second on 2 CPUs; each is walked at its first system call, after exec and as it \
                exits).
                - **Profiler BPF cost** (rows *profiler BPF cost, …*): the profiler's own `profile_sampler.bpf.o` \
                (loaded as `StackSampler` loads it: every process, this JVM excluded) on one cpu-clock event per \
                CPU at 99 Hz, in phases of five kinds rotated within the same rounds: sampling alone, sampling \
                without kernel stacks (`--no-kernel`), sampling whose `bpf_ringbuf_submit` does not wake the reader \
                (`BPF_RB_NO_WAKEUP`, set through the program's `submit_flags` rodata; the profiler wakes it once a \
                quarter of the ring waits), sampling with the kfunc collector (`HookedVmaCollection`, as `KfuncVmaCollector` starts \
                it) attached, and sampling on the first CPU's event alone. Each phase loads its programs and starts timing 0.5 s \
                later (past the collector's first walk of every live process). *Per sample* is Δ`run_time_ns` ÷ \
                Δ`run_cnt` of `profile_sample` over a phase; *single samples* come from the one-CPU phases \
                (the CPUs' timers fire together, so with all attached most intervals hold two samples): its \
                statistics read every 0.5 ms, keeping each interval in which `run_cnt` moved by exactly one (p99 \
                in the last column). The collector's programs are timed per call and, all their time together, per walk \
                (walks from the object's `walks` + `walks_failed` counters). *Sampling + map capture* adds the \
                collector's run time to the sampler's and divides by the samples: capture is paid per system call \
                and per walk, not per sample, so this share shrinks as the frequency grows and grows with process \
                churn.
                - **Profiler overhead** (rows *profiler overhead, …*): `java -jar \
                features/profiler/target/profiler.jar profile --all` started as `./mapsnap profile` starts it, at \
                99 and 999 Hz, with the JVM's defaults and with the options `./mapsnap` gives the feature jars \
                (`feature_jvm_opts` in the script, read from it), configurations rotated within rounds. The window \
                opens 1 s after the JVM's `profile_sample` program first ran; per 1-s interval: the JVM's CPU \
                (utime + stime from `/proc/PID/stat`, 10-ms ticks) plus the run time of every BPF program it holds \
                (`/proc/PID/fdinfo`: `run_time_ns`, `run_cnt`; named with `bpftool`), over wall time, as a share \
                of one core. Peak RSS is the largest `VmHWM` read every 50 ms until the process ends. Start-up is \
                until sampling runs (its CPU from `/proc/PID/stat`).
                - **Churn storm** (rows *churn storm, …*): one `short_lived` chain per CPU whose children burn 8 ms \
                each (about 200 processes a second on 2 CPUs), then 3 ms (about twice that), each profiled by \
                `profile --all` at 99 Hz with `./mapsnap`'s JVM options, measured as in *profiler overhead*. The \
                process rate is the machine's: processes created (`/proc/stat`) over the profiler's run; the \
                named share and the losses are the profile's own summary (nearly every sample is of a child that \
                exited long before symbolization).
                - **Symbolizer**: `ElfSymbolizer` built directly with the component's defaults, on addresses drawn \
                at random (fixed seed) from this JVM's own executable mappings of `libc.so.6` (`.dynsym` only) \
                and `libjvm.so` (a `.symtab` of ~70,000 symbols), against its own map from the procfs source. \
                *Index* is a fresh symbolizer naming one address of that file; *cold* a fresh symbolizer naming \
                1,000 addresses, half in each; *cached* the same 1,000 again on a symbolizer that parsed both \
                (JMH). Cold means the symbolizer's caches are empty; the files are in the page cache.
                - Spread: p10–p90 where there are at least 10 samples, else min–max; JMH rows spread over its \
                measured iterations. Other engineers' builds, test suites and QEMU guests share this machine, so \
                the load average is recorded and the numbers are noisy; compare rows within one run, not across \
                runs.
                """);
        md.append("- This run: ").append(settings.describe()).append(".\n\n");
        md.append("## Results\n\n");
        md.append("| group | row | measures | median | spread | per VMA (median) | ratio |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String[] c = cells(r);
            md.append("| ").append(r.group());
            for (String cell : c) {
                md.append(" | ").append(cell.replace("|", "\\|"));
            }
            md.append(" |\n");
        }
        md.append("\n## Targets\n\n");
        md.append("| target | measured | met | what bounds it |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.goal()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met() ? "yes" : "**no**").append(" | ").append(t.met() ? "" : t.boundBy())
                    .append(" |\n");
        }
        if (!notes.isEmpty()) {
            md.append("\n## Not measured on this host\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
        }
        return md.toString();
    }

    /** Replaces {@code file} in one rename, so that a reader never sees half a report. */
    void writeMarkdown(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".benchmarks", ".md.tmp");
        try {
            Files.writeString(tmp, markdown(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
