package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;

/**
 * Names user-space addresses: address → VMA → file offset → link-time address (through the PT_LOAD holding the
 * offset) → function. The file is read through the handle {@link #retain} kept, else through the VMA's path once
 * stat shows the path still names the mapped (device, inode); a path that names anything else — the binary was
 * replaced or deleted, or someone planted a symlink — is not read. Addresses in anonymous memory are looked up
 * in the process's perf map.
 */
final class UserSymbolizer implements AutoCloseable {
    static final String ANONYMOUS = "[anon]";
    static final String JIT = "[jit]";
    static final String VDSO = "[vdso]";
    /** The module of a frame whose build ID no file here has: {@code [build-id:HEX]}. */
    static final String BUILD_ID_ONLY = "[build-id:";

    private final Path procRoot;
    private final RetainedFiles retained;
    private final ModuleLoader loader;
    private final PerfMaps perfMaps;
    private final VdsoImage vdso;
    private final ProblemLog problems;
    /** Parsed files by build ID, or by {@link FileVersion} for files without one. */
    private final BoundedLru<Object, ModuleSymbols> modules;
    /** Which {@link #modules} key a file version has, so a known file is not opened again. */
    private final BoundedLru<FileVersion, Object> keys;
    /**
     * The mapping a build ID's file was last read through: its path is the module of a frame that came with that
     * build ID, and its identity finds the retained handle when the symbols were pushed out of {@link #modules}.
     */
    private final BoundedLru<String, Vma> filesByBuildId;

    UserSymbolizer(SymbolizerSettings settings, ProblemLog problems) {
        this.procRoot = settings.procRoot();
        this.retained = new RetainedFiles(settings.retainedFiles());
        this.loader = new ModuleLoader(settings.debugDirectory(), settings.limits());
        this.perfMaps = new PerfMaps(settings.perfMapDirectory(), settings.perfMapMaxBytes(), settings.perfMapMaxLines(),
                problems);
        this.vdso = new VdsoImage(settings.procRoot().resolve("self"), loader);
        this.problems = problems;
        this.modules = new BoundedLru<>(settings.cachedModules());
        this.keys = new BoundedLru<>(Math.max(256, settings.cachedModules() * 4));
        this.filesByBuildId = new BoundedLru<>(Math.max(256, settings.cachedModules() * 4));
    }

    /**
     * Most snapshots under process churn are of processes already gone (taken at exit, read a moment later): those
     * cost one access(2) here, not a failing stat and its exceptions per mapping, and a process's owner is read once.
     */
    void retain(VmaSnapshot snapshot) {
        Path process = procRoot.resolve(Integer.toString(snapshot.tgid()));
        if (!Files.exists(process)) {
            return;
        }
        Path mapFiles = process.resolve("map_files");
        for (Vma vma : snapshot.vmas()) {
            if (vma.permissions().execute() && vma.isFileBacked() && vma.inode() != 0
                    && retained.retain(mapFiles.resolve(Long.toHexString(vma.start()) + "-"
                            + Long.toHexString(vma.end())), FileIdentity.of(vma)) == RetainedFiles.Retention.GONE) {
                return;
            }
        }
        if (generatesCode(snapshot) && !perfMaps.knowsOwner(snapshot.tgid(), snapshot.processStartTime())) {
            ProcessOwner.read(procRoot, snapshot.tgid(), snapshot.processStartTime())
                    .ifPresent(uid -> perfMaps.recordOwner(snapshot.tgid(), snapshot.processStartTime(), uid));
        }
    }

    /**
     * Whether the process has executable anonymous memory, where a JIT puts the code its perf map names: only then
     * is its owner worth reading (two files of /proc per process; a build's compilers and shells never need it).
     */
    private static boolean generatesCode(VmaSnapshot snapshot) {
        for (Vma vma : snapshot.vmas()) {
            if (vma.permissions().execute() && !vma.isFileBacked() && !KERNEL_PROVIDED_CODE.contains(vma.path())) {
                return true;
            }
        }
        return false;
    }

    /** Executable anonymous mappings the kernel provides in every process: no JIT's. */
    private static final Set<String> KERNEL_PROVIDED_CODE = Set.of(VDSO, "[vsyscall]", "[uprobes]");

    List<Frame> symbolize(VmaSnapshot snapshot, long[] addresses) {
        Map<Vma, ModuleSymbols> seen = new HashMap<>();
        PerfMap[] perfMap = new PerfMap[1];
        boolean[] perfMapLooked = new boolean[1];
        List<Frame> frames = new ArrayList<>(addresses.length);
        for (long address : addresses) {
            Frame frame;
            try {
                frame = frame(snapshot, address, seen, () -> {
                    if (!perfMapLooked[0]) {
                        perfMapLooked[0] = true;
                        perfMap[0] = perfMaps.forProcess(snapshot.tgid(), snapshot.processStartTime());
                    }
                    return perfMap[0];
                });
            } catch (RuntimeException e) {
                // Nothing may escape: the frame stays unresolved, the cause is logged once.
                problems.once("symbolizer:" + e.getClass().getName(), "unexpected " + e);
                frame = Frame.unresolved(FrameKind.USER, address, null, 0, null);
            }
            frames.add(frame);
        }
        return frames;
    }

    private Frame frame(VmaSnapshot snapshot, long address, Map<Vma, ModuleSymbols> seen,
            java.util.function.Supplier<PerfMap> perfMap) {
        Optional<Vma> found = snapshot.find(address);
        if (found.isEmpty()) {
            FunctionHit jit = perfMap.get() == null ? null : perfMap.get().lookup(address);
            return jit != null ? new Frame(FrameKind.JIT, address, jit.name(), jit.offset(), JIT, address, null)
                    : Frame.unresolved(FrameKind.USER, address, null, 0, null);
        }
        Vma vma = found.get();
        if (vma.path().equals(VDSO)) {
            return vdsoFrame(vma, address);
        }
        if (!vma.isFileBacked()) {
            FunctionHit jit = perfMap.get() == null ? null : perfMap.get().lookup(address);
            if (jit != null) {
                return new Frame(FrameKind.JIT, address, jit.name(), jit.offset(), JIT, address, null);
            }
            // Executable anonymous memory holds generated code, even when no perf map names it.
            FrameKind kind = vma.permissions().execute() ? FrameKind.JIT : FrameKind.USER;
            return Frame.unresolved(kind, address, vma.path().isEmpty() ? ANONYMOUS : vma.path(), address, null);
        }
        long fileOffset = address - vma.start() + vma.offset();
        ModuleSymbols module = seen.computeIfAbsent(vma, this::module);
        String buildId = module.buildId() != null ? module.buildId() : vma.buildIdHex();
        if (vma.buildId() != null && module.buildId() != null && !module.buildId().equals(vma.buildIdHex())) {
            problems.once(vma.path() + "#" + vma.buildIdHex(), "the file has build ID " + module.buildId()
                    + ", the mapping had " + vma.buildIdHex());
            return Frame.unresolved(FrameKind.USER, address, vma.path(), fileOffset, vma.buildIdHex());
        }
        FunctionHit hit = module.lookup(fileOffset);
        return hit == null ? Frame.unresolved(FrameKind.USER, address, vma.path(), fileOffset, buildId)
                : new Frame(FrameKind.USER, address, hit.name(), hit.offset(), vma.path(), fileOffset, buildId);
    }

    /**
     * A frame the kernel gave as (build ID, file offset). The file is the one read before under that build ID, else
     * the first with it among the executable mappings of {@code process}, then of {@code others} (read as for
     * addresses: the retained handle, or the path while it still names the mapped file). Its address is where a
     * mapping of {@code process} holds that offset of the file, else the offset itself; a build ID no file here has
     * stays {@code [build-id:HEX]+0xoffset}.
     */
    Frame symbolizeBuildId(String buildId, long fileOffset, List<VmaSnapshot> process, List<VmaSnapshot> others) {
        try {
            Vma known = filesByBuildId.get(buildId);
            ModuleSymbols module = known == null ? null : modules.get(buildId);
            if (known != null && module == null) {
                // Read before, then pushed out of the bounded cache: read again through the same file.
                ModuleSymbols again = module(known);
                module = buildId.equals(again.buildId()) ? again : null;
            }
            if (module == null) {
                Set<FileIdentity> tried = new HashSet<>();
                module = fileWithBuildId(buildId, process, tried);
                if (module == null) {
                    module = fileWithBuildId(buildId, others, tried);
                }
            }
            Vma file = module == null ? null : filesByBuildId.get(buildId);
            String path = file == null ? null : file.path();
            if (path == null) {
                return Frame.unresolved(FrameKind.USER, fileOffset, BUILD_ID_ONLY + buildId + "]", fileOffset, buildId);
            }
            long address = addressOf(path, fileOffset, process);
            FunctionHit hit = module.lookup(fileOffset);
            return hit == null ? Frame.unresolved(FrameKind.USER, address, path, fileOffset, buildId)
                    : new Frame(FrameKind.USER, address, hit.name(), hit.offset(), path, fileOffset, buildId);
        } catch (RuntimeException e) {
            problems.once("symbolizer:" + e.getClass().getName(), "unexpected " + e);
            return Frame.unresolved(FrameKind.USER, fileOffset, BUILD_ID_ONLY + buildId + "]", fileOffset, buildId);
        }
    }

    /** Where the first mapping of {@code path} in {@code process} holds that offset of the file, else the offset. */
    private static long addressOf(String path, long fileOffset, List<VmaSnapshot> process) {
        for (VmaSnapshot snapshot : process) {
            for (Vma vma : snapshot.vmas()) {
                if (vma.path().equals(path) && fileOffset >= vma.offset()
                        && fileOffset - vma.offset() < vma.end() - vma.start()) {
                    return vma.start() + fileOffset - vma.offset();
                }
            }
        }
        return fileOffset;
    }

    /** The symbols of the first executable file {@code snapshots} map with that build ID, or null. */
    private ModuleSymbols fileWithBuildId(String buildId, List<VmaSnapshot> snapshots, Set<FileIdentity> tried) {
        for (VmaSnapshot snapshot : snapshots) {
            for (Vma vma : snapshot.vmas()) {
                // A mapping whose build ID the source read (procmap-query) is only opened when it matches.
                // The search reads only each file's build ID: parsing every file's symbols would also push the
                // files frames use out of the bounded cache, and a deleted one cannot be read again.
                if (vma.permissions().execute() && vma.isFileBacked() && vma.inode() != 0
                        && (vma.buildId() == null || buildId.equals(vma.buildIdHex()))
                        && tried.add(FileIdentity.of(vma)) && buildId.equals(buildIdOf(vma))) {
                    ModuleSymbols m = module(vma);
                    if (buildId.equals(m.buildId())) {
                        return m;
                    }
                }
            }
        }
        return null;
    }

    private Frame vdsoFrame(Vma vma, long address) {
        long offset = address - vma.start() + vma.offset();
        VdsoImage.Loaded image = vdso.get();
        if (image.size() != vma.end() - vma.start()) {
            // A 32-bit or x32 process has another vDSO image than ours.
            problems.once(VDSO, image.symbols().problem() != null ? image.symbols().problem()
                    : "[vdso] of " + (vma.end() - vma.start()) + " bytes is not ours of " + image.size());
            return Frame.unresolved(FrameKind.USER, address, VDSO, offset, null);
        }
        FunctionHit hit = image.symbols().lookup(offset);
        return hit == null ? Frame.unresolved(FrameKind.USER, address, VDSO, offset, image.symbols().buildId())
                : new Frame(FrameKind.USER, address, hit.name(), hit.offset(), VDSO, offset, image.symbols().buildId());
    }

    /** The symbols of the file {@code vma} maps; never null, carrying the problem when unreadable. */
    private ModuleSymbols module(Vma vma) {
        ModuleSymbols m = readModule(vma);
        if (m.buildId() != null) {
            filesByBuildId.put(m.buildId(), vma);
        }
        return m;
    }

    private ModuleSymbols readModule(Vma vma) {
        String subject = vma.path() + " (" + FileIdentity.of(vma) + ")";
        MappedFile file = locate(vma);
        if (file.refusal() != null) {
            return refused(subject, file.refusal());
        }
        ModuleSymbols known = cached(file.version());
        if (known != null) {
            return known;
        }
        try (OpenFile open = open(vma, file)) {
            return open == null ? refused(subject, "the file changed while it was opened")
                    : parse(subject, open.channel(), file.version());
        } catch (IOException | InvalidPathException | SecurityException | UnsupportedOperationException e) {
            return refused(subject, "cannot open the path: " + e);
        }
    }

    /** The build ID of the file {@code vma} maps, from its ELF headers and notes alone, or null. */
    private String buildIdOf(Vma vma) {
        MappedFile file = locate(vma);
        if (file.refusal() != null) {
            return null;
        }
        Object key = keys.get(file.version());
        if (key != null) {
            return key instanceof String id ? id : null;
        }
        try (OpenFile open = open(vma, file)) {
            if (open == null) {
                return null;
            }
            String id = ElfReader.read(ElfBytes.of(open.channel())).buildId();
            keys.put(file.version(), id != null ? id : file.version());
            return id;
        } catch (IOException | ElfFormatException | RuntimeException e) {
            // Not a usable file: reading its symbols says why, if a frame ever needs it.
            return null;
        }
    }

    /** Where the file {@code vma} maps can be read: the retained handle, else the path naming that very file. */
    private MappedFile locate(Vma vma) {
        if (vma.inode() == 0) {
            return MappedFile.refused("no inode to check the path against");
        }
        FileIdentity identity = FileIdentity.of(vma);
        RetainedFile kept = retained.get(identity);
        if (kept != null) {
            return new MappedFile(kept.version(), kept.channel(), null);
        }
        try {
            FileVersion version = verifiedVersion(vma, identity);
            return version != null ? new MappedFile(version, null, null)
                    : MappedFile.refused("the file at the path is no longer the mapped one (replaced or deleted) and"
                            + " no handle was retained while the process lived");
        } catch (IOException | InvalidPathException | SecurityException e) {
            return MappedFile.refused("cannot stat the path: " + e);
        }
    }

    /** The retained handle, left open; or the path opened now; null if the file changed between stat and open. */
    private static OpenFile open(Vma vma, MappedFile file) throws IOException {
        if (file.retained() != null) {
            return new OpenFile(file.retained(), false);
        }
        FileChannel channel = FileChannel.open(Path.of(vma.path()), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        if (!file.version().equals(FileVersion.of(Path.of(vma.path()), LinkOption.NOFOLLOW_LINKS))) {
            channel.close();
            return null;
        }
        return new OpenFile(channel, true);
    }

    /** A mapped file's version and retained handle (null: read through the path), or why it cannot be read. */
    private record MappedFile(FileVersion version, FileChannel retained, String refusal) {
        static MappedFile refused(String reason) {
            return new MappedFile(null, null, reason);
        }
    }

    /** A channel to read a file through; closed after use only when opened for it. */
    private record OpenFile(FileChannel channel, boolean owned) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (owned) {
                channel.close();
            }
        }
    }

    private ModuleSymbols cached(FileVersion version) {
        Object key = keys.get(version);
        return key == null ? null : modules.get(key);
    }

    /** The path's version when stat (without following a final symlink) shows the mapped file, else null. */
    private static FileVersion verifiedVersion(Vma vma, FileIdentity identity) throws IOException {
        if (!vma.path().startsWith("/")) {
            return null;
        }
        try {
            FileVersion version = FileVersion.of(Path.of(vma.path()), LinkOption.NOFOLLOW_LINKS);
            return version.identity().equals(identity) && version.regular() ? version : null;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private ModuleSymbols parse(String subject, FileChannel channel, FileVersion version) {
        Object key = version;
        ModuleSymbols symbols;
        try {
            ElfReader reader = ElfReader.read(ElfBytes.of(channel));
            String buildId = reader.buildId();
            if (buildId != null) {
                key = buildId;
            }
            symbols = modules.get(key);
            if (symbols == null) {
                symbols = loader.load(reader, buildId);
            }
        } catch (ElfFormatException e) {
            symbols = ModuleSymbols.unreadable(null, "not a usable ELF file: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Not cached: a handle closed under us (eviction, interrupt) or a transient error may not recur.
            return refused(subject, "read failed: " + e);
        }
        if (symbols.problem() != null) {
            problems.once(subject, symbols.problem());
        }
        modules.put(key, symbols);
        keys.put(version, key);
        return symbols;
    }

    private ModuleSymbols refused(String subject, String reason) {
        problems.once(subject, reason);
        return ModuleSymbols.unreadable(null, reason);
    }

    int retainedFiles() {
        return retained.size();
    }

    @Override
    public void close() {
        retained.close();
    }
}
