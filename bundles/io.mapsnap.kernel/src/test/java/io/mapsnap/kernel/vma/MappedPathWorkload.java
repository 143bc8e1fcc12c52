package io.mapsnap.kernel.vma;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

/**
 * A process mapping the files a path test chooses (path_mapper.c, compiled here with gcc): it maps what its actions
 * say, prints "ready", and lives until its stdin closes. Mounts it needs are made by a setup script inside a private
 * mount namespace of its own ({@code unshare -m --propagation private}), so they vanish with it, whatever happens to
 * the test: nothing to unmount, nothing left behind.
 */
public final class MappedPathWorkload implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private MappedPathWorkload(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Compiles path_mapper into {@code dir}; skips the test where there is no gcc. */
    public static Path compile(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("gcc"), "gcc is not installed: the path tests' helper process cannot be built");
        Path src = dir.resolve("path_mapper.c");
        try (InputStream in = MappedPathWorkload.class.getResourceAsStream("path_mapper.c")) {
            Files.copy(in, src);
        }
        Path exe = dir.resolve("path_mapper");
        Process gcc = new ProcessBuilder("gcc", "-O1", "-Wall", "-Werror", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gcc.waitFor() != 0) {
            throw new IllegalStateException("gcc failed on path_mapper.c:\n" + out);
        }
        return exe;
    }

    /** Skips the test unless it runs as root (mounts, namespaces and BPF need it). */
    public static void assumeRoot() throws IOException {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        Assumptions.assumeTrue(root, "not root: the path tests mount file systems and load BPF programs");
    }

    /** Skips the test unless the kernel knows file system {@code type} (/proc/filesystems). */
    public static void assumeFileSystem(String type) throws IOException {
        boolean known = Files.readAllLines(Path.of("/proc/filesystems")).stream()
                .anyMatch(l -> l.endsWith("\t" + type));
        Assumptions.assumeTrue(known, "this kernel has no " + type + " file system (/proc/filesystems)");
    }

    /** path_mapper running {@code actions} in the test's own mount namespace. */
    public static MappedPathWorkload start(Path mapper, Path workDir, String... actions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(mapper.toString()));
        cmd.addAll(List.of(actions));
        return start(cmd, workDir);
    }

    /**
     * path_mapper running {@code actions} in a private mount namespace, after the shell commands {@code setup}
     * (run with {@code set -e}) made its mounts there.
     */
    public static MappedPathWorkload startInMountNamespace(Path mapper, Path workDir, String setup, String... actions)
            throws IOException {
        Assumptions.assumeTrue(onPath("unshare"), "unshare (util-linux) is not installed: no private mount namespace");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "set -e\n" + setup + "\nexec \"$0\" \"$@\"", mapper.toString()));
        cmd.addAll(List.of(actions));
        return start(cmd, workDir);
    }

    private static MappedPathWorkload start(List<String> cmd, Path workDir) throws IOException {
        Path stderr = Files.createTempFile("path_mapper", ".err");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(stderr.toFile()).start();
        MappedPathWorkload w = new MappedPathWorkload(p, stderr);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            String err = w.stderrText();
            w.close();
            throw new IllegalStateException("path_mapper did not become ready (" + line + "): " + cmd + "\n" + err);
        }
        return w;
    }

    public int pid() {
        return (int) process.pid();
    }

    /** Its /proc/PID/maps without [vsyscall], which is not a VMA of the mm and no walker reports. */
    public String procMaps() throws IOException {
        return procMaps(pid());
    }

    /** /proc/PID/maps without [vsyscall]. */
    public static String procMaps(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.endsWith(" [vsyscall]")).map(l -> l + "\n").collect(Collectors.joining());
    }

    /**
     * Whether {@code procMaps} names a mapping {@code relative} to {@code dir}. By the path's end only: a process in
     * another mount namespace is named up to that namespace's top, which is not the reader's root where the reader
     * runs chrooted (a QEMU guest of the kernel matrix shows "/newroot/tmp/...").
     */
    public static boolean names(String procMaps, Path dir, String relative) {
        String suffix = "/" + dir.getFileName() + "/" + relative;
        return procMaps.lines().anyMatch(l -> l.endsWith(suffix));
    }

    private String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
