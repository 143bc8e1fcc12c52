package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfLink;
import io.mapsnap.kernel.bpf.BpfLoadException;
import io.mapsnap.kernel.bpf.BpfObject;

/**
 * The FMODE_BACKING bit of the running kernel, measured. It is a macro, so BTF cannot tell it, and it moved: bit 25
 * when backing files appeared (6.6), bit 24 after the 6.14 fsnotify rework, which stable kernels took too (Debian's
 * 6.12.118 has bit 24). Rather than guess from a release string, map one file twice — through a fresh overlayfs
 * mount, which makes it a backing file on 6.6+, and directly — and read both f_modes with
 * bpf-programs/probe_backing_file_mode.bpf.c: the candidate bit set on the first and clear on the second is the
 * flag. The mounts live for milliseconds in a private directory; the answer is kept for the boot in /run/mapsnap
 * (the bit cannot change without a reboot), so the host's mount table is touched once per boot.
 *
 * @param bit the flag (a single bit), or 0 when there are no backing files or it could not be measured
 * @param evidence what was observed
 */
public record BackingFileMode(int bit, String evidence) {
    private static final List<Integer> CANDIDATES = List.of(1 << 24, 1 << 25);
    private static final Path CACHE = Path.of("/run/mapsnap/backing-file-mode");
    private static final String NO_BACKING_FILES = "no candidate bit";

    /** The running kernel's flag: from this boot's cache, else measured (and cached when conclusive). */
    static BackingFileMode running(Path procRoot) {
        String bootId = read(procRoot.resolve("sys/kernel/random/boot_id"));
        BackingFileMode cached = cached(bootId);
        if (cached != null) {
            return cached;
        }
        BackingFileMode measured = measure();
        if (!bootId.isEmpty() && measured.conclusive()) {
            store(bootId, measured);
        }
        return measured;
    }

    /** Whether the measurement ran to an answer (a bit, or a kernel without backing files) rather than failing. */
    boolean conclusive() {
        return bit != 0 || evidence.startsWith(NO_BACKING_FILES);
    }

    /** Maps a file through overlayfs and directly, and compares their f_modes. */
    static BackingFileMode measure() {
        Path base;
        try {
            base = Files.createTempDirectory("mapsnap-backing-probe-");
        } catch (IOException e) {
            return new BackingFileMode(0, "cannot create a directory for the overlayfs probe: " + e.getMessage());
        }
        Path merged = base.resolve("merged");
        boolean tmpfs = false;
        boolean overlay = false;
        try {
            // tmpfs beneath: overlayfs refuses an upper directory on overlayfs (a guest's root, a container's).
            tmpfs = mount(List.of("-t", "tmpfs", "mapsnap-probe", base.toString()));
            for (String d : List.of("lower", "upper", "work", "merged")) {
                Files.createDirectory(base.resolve(d));
            }
            Path plainFile = base.resolve("lower/file");
            Files.write(plainFile, new byte[4096]);
            overlay = mount(List.of("-t", "overlay", "mapsnap-probe", "-o", "lowerdir=" + base.resolve("lower")
                    + ",upperdir=" + base.resolve("upper") + ",workdir=" + base.resolve("work"), merged.toString()));
            return compare(merged.resolve("file"), plainFile);
        } catch (ProbeFailure e) {
            return new BackingFileMode(0, e.getMessage());
        } catch (IOException e) {
            return new BackingFileMode(0, "overlayfs probe failed: " + e);
        } finally {
            if (overlay) {
                unmount(merged);
            }
            if (tmpfs) {
                unmount(base);
            }
            try {
                Files.deleteIfExists(merged);
                Files.deleteIfExists(base);
            } catch (IOException e) {
                // An empty directory left in /tmp is harmless; the mounts are gone.
            }
        }
    }

    private static BackingFileMode compare(Path viaOverlay, Path plain) throws IOException, ProbeFailure {
        try (Arena arena = Arena.ofConfined();
                FileChannel o = FileChannel.open(viaOverlay, StandardOpenOption.READ);
                FileChannel p = FileChannel.open(plain, StandardOpenOption.READ)) {
            MemorySegment overlayMap = o.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena);
            MemorySegment plainMap = p.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena);
            Map<Long, Long> modes = fileModes();
            Long overlayMode = modes.get(overlayMap.address());
            Long plainMode = modes.get(plainMap.address());
            if (overlayMode == null || plainMode == null) {
                throw new ProbeFailure("the probe did not see both mappings (" + modes.size() + " file VMAs)");
            }
            String observed = String.format("f_mode of a file mapped through overlayfs 0x%x, directly 0x%x",
                    overlayMode, plainMode);
            for (int candidate : CANDIDATES) {
                if ((overlayMode & candidate) != 0 && (plainMode & candidate) == 0) {
                    return new BackingFileMode(candidate, "FMODE_BACKING is bit "
                            + Integer.numberOfTrailingZeros(candidate) + ": " + observed);
                }
            }
            return new BackingFileMode(0, NO_BACKING_FILES + " (24, 25) marks the overlayfs mapping, so this kernel"
                    + " has no backing files (before 6.6): " + observed);
        }
    }

    /** (vm_start → f_mode) of every file-backed VMA of this process. */
    private static Map<Long, Long> fileModes() throws ProbeFailure {
        int self = (int) ProcessHandle.current().pid();
        try (BpfObject object = BpfObject.openBundled(BackingFileMode.class, "probe_backing_file_mode")) {
            object.setRodataInt("target_tgid", self);
            object.load();
            byte[] out;
            try (BpfLink link = object.programs().get(0).attachIter(self)) {
                out = link.readIterator();
            } catch (BpfException e) {
                // Before 6.1 an iterator link takes no pid: the program filters by target_tgid.
                try (BpfLink link = object.programs().get(0).attachIter(null)) {
                    out = link.readIterator();
                }
            }
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
            Map<Long, Long> modes = new HashMap<>();
            while (b.remaining() >= 16) {
                modes.put(b.getLong(), b.getLong());
            }
            return modes;
        } catch (BpfLoadException e) {
            throw new ProbeFailure("probe_backing_file_mode refused: " + e.refusal());
        } catch (BpfException | IOException e) {
            throw new ProbeFailure("probe_backing_file_mode failed: " + e.getMessage());
        }
    }

    private static boolean mount(List<String> args) throws ProbeFailure {
        List<String> command = new ArrayList<>(List.of("mount"));
        command.addAll(args);
        String failure = run(command);
        if (failure != null) {
            throw new ProbeFailure("cannot mount for the overlayfs probe (" + String.join(" ", command) + "): "
                    + failure);
        }
        return true;
    }

    private static void unmount(Path target) {
        if (run(List.of("umount", target.toString())) != null) {
            run(List.of("umount", "-l", target.toString()));
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : output.isEmpty() ? "exit " + p.exitValue() : output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static BackingFileMode cached(String bootId) {
        if (bootId.isEmpty()) {
            return null;
        }
        String[] parts = read(CACHE).split("\n", 3);
        if (parts.length == 3 && parts[0].equals(bootId)) {
            try {
                return new BackingFileMode(Integer.parseInt(parts[1]), parts[2] + " (measured earlier this boot)");
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static void store(String bootId, BackingFileMode m) {
        try {
            Files.createDirectories(CACHE.getParent());
            Path tmp = Files.createTempFile(CACHE.getParent(), "backing-file-mode", ".tmp");
            Files.writeString(tmp, bootId + "\n" + m.bit + "\n" + m.evidence.replace(" (measured earlier this boot)",
                    ""));
            Files.move(tmp, CACHE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // Without the cache the next run measures again.
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** A probe step that failed, with what to tell the user. */
    private static final class ProbeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailure(String message) {
            super(message);
        }
    }
}
