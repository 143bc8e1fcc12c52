package io.mapsnap.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code profile --all} run of the profiler feature jar, started the way {@code ./mapsnap profile} starts it
 * (same java options, its own framework storage), and watched from outside through /proc:
 * <ul>
 * <li>sampling has started once the JVM holds a perf event fd per CPU and its {@code profile_sample} program has
 * run (the capability probes open perf events too, earlier); the window opens one settle second later (the
 * collector's first walk of every live process falls before it);</li>
 * <li>per 1-s interval of the window: the JVM's CPU (utime + stime from {@code /proc/PID/stat}, ended threads
 * included, in 10-ms ticks: 1 % of a core per 1-s interval) and the run time and count of each BPF program it holds ({@code /proc/PID/fdinfo}: run_time_ns,
 * run_cnt; named once with {@code bpftool prog show id});</li>
 * <li>peak RSS: {@code VmHWM} from /proc/PID/status, read every 50 ms until the process is gone (the last read
 * falls at most 50 ms before its memory is released).</li>
 * </ul>
 */
final class ProfilerProcess {
    private static final long POLL_MS = 50;
    private static final long SETTLE_MS = 1000;
    private static final long INTERVAL_NS = 1_000_000_000L;
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");
    private static final Pattern COLLECTOR = Pattern.compile("; collector (\\S+)");

    /** One 1-s interval of the window: wall, JVM CPU, BPF run time of all its programs, samples taken. */
    record Interval(long wallNs, long jvmNs, long bpfNs, long samples) {
        /** The profiler's CPU, JVM and BPF, in this interval: % of one core. */
        double corePercent() {
            return 100.0 * (jvmNs + bpfNs) / wallNs;
        }

        /** The same over {@code intervals} together: their CPU over their wall time. */
        static double corePercent(List<Interval> intervals) {
            return 100.0 * intervals.stream().mapToLong(i -> i.jvmNs() + i.bpfNs()).sum()
                    / intervals.stream().mapToLong(Interval::wallNs).sum();
        }
    }

    /**
     * What a run measured.
     *
     * @param intervals the window's 1-s intervals
     * @param programs per BPF program name: {run time ns, run count} over the whole window
     * @param peakRssKb the largest VmHWM read
     * @param startupWallNs from exec to the start of sampling
     * @param startupCpuNs the JVM's utime + stime by then (JVM start, Felix, capability probes, loading)
     * @param collector the collector the profile used, from its summary line
     * @param summary the profile's summary, as it printed it: the last lines of its standard error
     */
    record Result(List<Interval> intervals, Map<String, long[]> programs, long peakRssKb, long startupWallNs,
            long startupCpuNs, String collector, String summary) {
    }

    private record ProgramStat(int id, long runTimeNs, long runCount) {
    }

    private ProfilerProcess() {
    }

    static Result run(BenchContext ctx, int frequencyHz, List<String> jvmFlags, int windowSeconds) throws Exception {
        Path storage = Files.createTempDirectory("mapsnap-bench-fw");
        Path output = Files.createTempFile("mapsnap-bench-profile", ".folded");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.util.logging.config.file=" + ctx.root.resolve("cnf/logging.properties"),
                "-Dlaunch.storage.dir=" + storage, "-Dorg.osgi.framework.storage=" + storage, "-jar",
                ctx.root.resolve("features/profiler/target/profiler.jar").toString(), "profile", "--all",
                "--duration", Integer.toString(windowSeconds + 3), "--frequency", Integer.toString(frequencyHz),
                "--output", output.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder stderr = new StringBuilder();
        Thread errDrain = Thread.ofPlatform().daemon().start(() -> copy(p.getErrorStream(), stderr));
        int cpus = Runtime.getRuntime().availableProcessors();
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        long peakKb = 0;
        long startupWall = -1;
        long startupCpu = -1;
        List<Interval> intervals = new ArrayList<>();
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, ProgramStat> windowStart = null;
        Map<Integer, ProgramStat> last = null;
        long lastJvm = 0;
        long lastT = 0;
        long samplerAtLast = 0;
        long windowOpens = Long.MAX_VALUE;
        Map<String, long[]> programTotals = Map.of();
        try {
            while (p.isAlive()) {
                try {
                peakKb = Math.max(peakKb, vmHwmKb(proc));
                long now = System.nanoTime();
                if (startupWall < 0 && perfEvents(proc) >= cpus && sampling(proc, names)) {
                    startupWall = now - t0;
                    startupCpu = statCpuNs(proc);
                    windowOpens = now + SETTLE_MS * 1_000_000;
                } else if (last == null && now >= windowOpens) {
                    for (int id : programs(proc).keySet()) {
                        names.computeIfAbsent(id, ProfilerProcess::programName);
                    }
                    last = programs(proc);
                    windowStart = last;
                    lastJvm = statCpuNs(proc);
                    lastT = System.nanoTime();
                    samplerAtLast = samplerCount(last, names);
                } else if (last != null && intervals.size() < windowSeconds && now - lastT >= INTERVAL_NS) {
                    Map<Integer, ProgramStat> cur = programs(proc);
                    long jvm = statCpuNs(proc);
                    long bpf = 0;
                    for (ProgramStat s : cur.values()) {
                        names.computeIfAbsent(s.id(), ProfilerProcess::programName);
                        ProgramStat b = last.get(s.id());
                        bpf += s.runTimeNs() - (b == null ? 0 : b.runTimeNs());
                    }
                    long sampler = samplerCount(cur, names);
                    intervals.add(new Interval(now - lastT, jvm - lastJvm, bpf, sampler - samplerAtLast));
                    if (intervals.size() == windowSeconds) {
                        Map<String, long[]> totals = new HashMap<>();
                        for (ProgramStat s : cur.values()) {
                            ProgramStat b = windowStart.get(s.id());
                            long[] t = totals.computeIfAbsent(names.get(s.id()), k -> new long[2]);
                            t[0] += s.runTimeNs() - (b == null ? 0 : b.runTimeNs());
                            t[1] += s.runCount() - (b == null ? 0 : b.runCount());
                        }
                        programTotals = totals;
                    }
                    last = cur;
                    lastJvm = jvm;
                    lastT = now;
                    samplerAtLast = sampler;
                }
                } catch (IOException e) {
                    if (p.isAlive()) {
                        throw e;
                    }
                    break; // it ended between two reads
                }
                Thread.sleep(POLL_MS);
            }
            int rc = p.waitFor();
            errDrain.join(5000);
            if (rc != 0) {
                throw new IOException("the profiler exited " + rc + ": " + tail(stderr));
            }
            if (intervals.size() < windowSeconds) {
                throw new IOException("the profiler ended after " + intervals.size() + " of " + windowSeconds
                        + " measured seconds: " + tail(stderr));
            }
            String summary = tail(stderr);
            Matcher collector = COLLECTOR.matcher(summary);
            return new Result(intervals, programTotals, peakKb, startupWall, startupCpu,
                    collector.find() ? collector.group(1) : "unknown", summary);
        } finally {
            p.destroyForcibly();
            p.waitFor();
            Files.deleteIfExists(output);
            deleteTree(storage);
        }
    }

    /** Program ids this process holds fds of, with their statistics (several fds of one program count once). */
    private static Map<Integer, ProgramStat> programs(Path proc) throws IOException {
        Map<Integer, ProgramStat> out = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (!target.equals("anon_inode:bpf-prog")) {
                    continue;
                }
                Map<String, String> info = new HashMap<>();
                try {
                    for (String line : Files.readAllLines(proc.resolve("fdinfo").resolve(fd.getFileName()))) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            info.put(line.substring(0, colon), line.substring(colon + 1).strip());
                        }
                    }
                } catch (IOException e) {
                    continue;
                }
                if (info.containsKey("prog_id") && info.containsKey("run_time_ns")) {
                    int id = Integer.parseInt(info.get("prog_id"));
                    out.put(id, new ProgramStat(id, Long.parseLong(info.get("run_time_ns")),
                            Long.parseLong(info.get("run_cnt"))));
                }
            }
        }
        return out;
    }

    /** The program's C name as bpftool shows it, or {@code program ID} where bpftool cannot tell. */
    private static String programName(int id) {
        try {
            Process b = new ProcessBuilder("bpftool", "-j", "prog", "show", "id", Integer.toString(id))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String json = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            b.waitFor();
            Matcher m = NAME.matcher(json);
            if (m.find()) {
                return m.group(1);
            }
        } catch (IOException e) {
            // no bpftool: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "program " + id;
    }

    /** Whether the process holds a {@code profile_sample} program that has run; names new programs on the way. */
    private static boolean sampling(Path proc, Map<Integer, String> names) throws IOException {
        for (ProgramStat s : programs(proc).values()) {
            if ("profile_sample".equals(names.computeIfAbsent(s.id(), ProfilerProcess::programName))
                    && s.runCount() > 0) {
                return true;
            }
        }
        return false;
    }

    private static long samplerCount(Map<Integer, ProgramStat> programs, Map<Integer, String> names) {
        return programs.values().stream().filter(s -> "profile_sample".equals(names.get(s.id())))
                .mapToLong(ProgramStat::runCount).sum();
    }

    private static int perfEvents(Path proc) {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]")) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }

    /** utime + stime of the whole process (ended threads included), in ns; clock ticks of 10 ms. */
    private static long statCpuNs(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private static long vmHwmKb(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or its memory already released
        }
        return 0;
    }

    private static void copy(InputStream in, StringBuilder to) {
        try {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (to) {
                to.append(s);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static String tail(StringBuilder sb) {
        synchronized (sb) {
            String s = sb.toString().strip();
            return s.length() > 600 ? "…" + s.substring(s.length() - 600) : s;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path q : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
