package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.mapsnap.kernel.internal.libbpf.Libbpf;
import io.mapsnap.kernel.internal.libbpf.LibbpfMessages;

/**
 * One BPF ELF object opened by libbpf from bytes: set rodata → {@link #load()} → attach → read globals → close.
 *
 * <p>Globals are found by name in the object's BTF (the DATASEC of their section lists each variable's offset and
 * size). Debian's libbpf 1.1 does not mmap .bss/.data without a skeleton, so after load they are read and written
 * with map lookups/updates on the section's internal map at key 0.
 *
 * <p>Not thread-safe for concurrent configuration; {@link #close()} may be called from any thread, once or more.
 */
public final class BpfObject implements AutoCloseable {
    /** Enough for the tail of any verifier complaint; kernels >= 6.4 keep the log's end when it overflows. */
    private static final long DEFAULT_LOG_SIZE = 1 << 20;

    final Libbpf lib;
    private final String name;
    private final Arena arena;
    private final MemorySegment obj;
    private final List<BpfProgram> programs;
    private final Map<String, BpfMap> maps;
    private final List<BpfLink> links = new ArrayList<>();
    private boolean loaded;
    private boolean loadAttempted;
    private boolean closed;
    private int logLevel;
    private long logSize = DEFAULT_LOG_SIZE;

    private BpfObject(Libbpf lib, String name, Arena arena, MemorySegment obj) {
        this.lib = lib;
        this.name = name;
        this.arena = arena;
        this.obj = obj;
        List<BpfProgram> progs = new ArrayList<>();
        for (MemorySegment p = lib.objectNextProgram(obj, MemorySegment.NULL); !p.equals(MemorySegment.NULL);
                p = lib.objectNextProgram(obj, p)) {
            progs.add(new BpfProgram(this, p));
        }
        programs = List.copyOf(progs);
        Map<String, BpfMap> m = new LinkedHashMap<>();
        for (MemorySegment p = lib.objectNextMap(obj, MemorySegment.NULL); !p.equals(MemorySegment.NULL);
                p = lib.objectNextMap(obj, p)) {
            BpfMap map = new BpfMap(this, p);
            m.put(map.name(), map);
        }
        maps = Collections.unmodifiableMap(m);
    }

    /**
     * Opens an object from its ELF bytes (bpf_object__open_mem). Nothing reaches the kernel until {@link #load()}.
     *
     * @param name object name (libbpf prefixes internal map names with its first 8 characters)
     * @param elf the .bpf.o file's content
     * @throws LibbpfUnavailableException when libbpf.so.1 is missing or unusable
     * @throws BpfException when libbpf rejects the ELF
     */
    public static BpfObject open(String name, byte[] elf) throws BpfException {
        Libbpf lib = Libbpf.get();
        // libbpf 1.1 keeps pointing into the ELF buffer until load finishes: the object owns it.
        Arena arena = Arena.ofShared();
        try {
            MemorySegment buf = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, buf, JAVA_BYTE, 0, elf.length);
            MemorySegment obj = lib.objectOpenMem(buf, name);
            return new BpfObject(lib, name, arena, obj);
        } catch (BpfException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Opens the object {@code /bpf/NAME.bpf.o} that the build packed into {@code owner}'s bundle (bpf-programs/build.sh
     * compiles it with clang-19).
     */
    public static BpfObject openBundled(Class<?> owner, String name) throws BpfException, java.io.IOException {
        String path = "/bpf/" + name + ".bpf.o";
        try (java.io.InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) {
                throw new java.io.IOException("BPF object " + path + " is missing from " + owner.getName()
                        + "'s bundle (the build compiles it with clang-19)");
            }
            return open(name, in.readAllBytes());
        }
    }

    public String name() {
        return name;
    }

    /** Every program of the object, in ELF order. */
    public List<BpfProgram> programs() {
        return programs;
    }

    /** The program named after its C function. */
    public BpfProgram program(String programName) {
        for (BpfProgram p : programs) {
            if (p.name().equals(programName)) {
                return p;
            }
        }
        throw new NoSuchElementException("object " + name + " has no program " + programName + "; it has "
                + programs.stream().map(BpfProgram::name).toList());
    }

    /** Every map, including internal ones ({@code <obj>.rodata}, {@code .data}, {@code .bss}). */
    public List<BpfMap> maps() {
        return List.copyOf(maps.values());
    }

    /** The map of that name (C variable name for declared maps, libbpf's name for internal ones). */
    public BpfMap map(String mapName) {
        BpfMap m = maps.get(mapName);
        if (m == null) {
            throw new NoSuchElementException("object " + name + " has no map " + mapName + "; it has " + maps.keySet());
        }
        return m;
    }

    /** The internal map holding a global data section, e.g. {@code .rodata}, {@code .data}, {@code .bss}. */
    public BpfMap sectionMap(String section) {
        for (BpfMap m : maps.values()) {
            if (m.name().endsWith(section)) {
                return m;
            }
        }
        throw new NoSuchElementException("object " + name + " has no " + section + " section map; maps: " + maps.keySet());
    }

    /**
     * Verifier log level of the first load attempt. Default 0: no log on success, and libbpf 1.x retries a failed
     * program at level 1 into the same buffer, so a rejection still comes with its log. Level 1 or 2 logs successful
     * loads too ({@link BpfProgram#verifierLog()}), but a log larger than the buffer then fails the load with ENOSPC.
     */
    public void setLogLevel(int level) {
        requireOpen(false);
        this.logLevel = level;
    }

    /** Size of each program's verifier log buffer (default 1 MiB). */
    public void setLogSize(long bytes) {
        requireOpen(false);
        this.logSize = bytes;
    }

    /** Where a global lives in its section: byte offset and size, from the object's BTF. */
    public record GlobalVariable(String section, String name, int offset, int size) {
    }

    /** Whether the object has global {@code variable} in {@code section}: for switches only newer objects have. */
    public boolean hasGlobal(String section, String variable) {
        requireOpen(null);
        return lib.sectionVariables(obj, section).containsKey(variable);
    }

    /** Looks a global up in the BTF DATASEC of {@code section}. */
    public GlobalVariable global(String section, String variable) {
        requireOpen(null);
        Map<String, Libbpf.SectionVariable> vars = lib.sectionVariables(obj, section);
        if (vars.isEmpty()) {
            throw new NoSuchElementException("object " + name + " has no " + section
                    + " DATASEC in its BTF (no such globals, or compiled without -g)");
        }
        Libbpf.SectionVariable v = vars.get(variable);
        if (v == null) {
            throw new NoSuchElementException("object " + name + " has no " + section + " variable " + variable
                    + "; it has " + vars.keySet());
        }
        return new GlobalVariable(section, variable, v.offset(), v.size());
    }

    /** Sets the initial value of a {@code .rodata} ({@code const volatile}) global before load. */
    public void setRodata(String variable, byte[] value) throws BpfException {
        setInitialValue(".rodata", variable, value);
    }

    /** Sets an integer {@code .rodata} global (1, 2, 4 or 8 bytes, little-endian) before load. */
    public void setRodata(String variable, long value) throws BpfException {
        GlobalVariable v = global(".rodata", variable);
        if (v.size() != 1 && v.size() != 2 && v.size() != 4 && v.size() != 8) {
            throw new IllegalArgumentException(variable + " is " + v.size() + " bytes, not an integer");
        }
        if (v.size() < 8) {
            long min = -(1L << (8 * v.size() - 1));
            long max = (1L << (8 * v.size())) - 1;
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " does not fit the " + v.size() + " bytes of " + variable);
            }
        }
        setInitialValue(".rodata", variable, littleEndian(value, v.size()));
    }

    /** Shorthand for a 4-byte {@code .rodata} global. */
    public void setRodataInt(String variable, int value) throws BpfException {
        setRodata(variable, littleEndian(value, 4));
    }

    /** Sets the initial bytes of any global ({@code .rodata}, {@code .data}, {@code .bss}) before load. */
    public void setInitialValue(String section, String variable, byte[] value) throws BpfException {
        requireOpen(false);
        GlobalVariable v = global(section, variable);
        if (value.length != v.size()) {
            throw new IllegalArgumentException(variable + " is " + v.size() + " bytes, got " + value.length);
        }
        BpfMap map = sectionMap(section);
        byte[] data = lib.mapInitialValue(map.handle());
        System.arraycopy(value, 0, data, v.offset(), value.length);
        lib.mapSetInitialValue(map.handle(), data);
    }

    /**
     * Loads every autoloaded program into the kernel. Each program logs into its own buffer; when a program is
     * rejected its log is in the thrown {@link BpfLoadException}.
     */
    public void load() throws BpfException {
        requireOpen(false);
        if (loadAttempted) {
            throw new IllegalStateException("object " + name + " already went through bpf_object__load");
        }
        loadAttempted = true;
        Optional<String> injectedBy = FaultInjection.refusing(name);
        if (injectedBy.isPresent()) {
            throw new BpfLoadException("bpf_object__load", Errno.EACCES, "object " + name,
                    FaultInjection.LOG_LINE + " (" + FaultInjection.PROPERTY + " names " + injectedBy.get() + ")",
                    List.of(), true);
        }
        try (Arena logs = Arena.ofConfined(); LibbpfMessages warnings = LibbpfMessages.capture()) {
            Map<BpfProgram, MemorySegment> buffers = new LinkedHashMap<>();
            for (BpfProgram p : programs) {
                MemorySegment buf = logs.allocate(logSize);
                lib.programSetLogBuf(p.handle(), buf);
                lib.programSetLogLevel(p.handle(), logLevel);
                buffers.put(p, buf);
            }
            BpfException failure = null;
            try {
                lib.objectLoad(obj);
            } catch (BpfException e) {
                failure = e;
            }
            StringBuilder log = new StringBuilder();
            for (Map.Entry<BpfProgram, MemorySegment> b : buffers.entrySet()) {
                String text = b.getValue().getString(0);
                b.getKey().verifierLog = text;
                if (!text.isEmpty()) {
                    log.append("--- program ").append(b.getKey().name()).append(" ---\n").append(text);
                }
            }
            if (failure != null) {
                throw new BpfLoadException(failure.call(), failure.errno(), "object " + name, log.toString(),
                        warnings.lines(), false);
            }
            // No detaching afterwards: libbpf writes the buffers only inside bpf_object__load, and refuses
            // bpf_program__set_log_buf (EBUSY) once an object went through load, successful or not.
        }
        loaded = true;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The current bytes of a global after load (lookup of key 0 on its section map). */
    public byte[] readGlobal(String section, String variable) throws BpfException {
        requireOpen(true);
        GlobalVariable v = global(section, variable);
        byte[] all = sectionMap(section).lookup(new byte[4]).orElseThrow(
                () -> new IllegalStateException(section + " map has no element 0"));
        byte[] out = new byte[v.size()];
        System.arraycopy(all, v.offset(), out, 0, v.size());
        return out;
    }

    /** Eight bytes of a global at {@code offsetInVariable}, e.g. a field of a struct global, as a long. */
    public long readGlobalLong(String section, String variable, int offsetInVariable) throws BpfException {
        byte[] bytes = readGlobal(section, variable);
        return MemorySegment.ofArray(bytes).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, offsetInVariable);
    }

    /**
     * Overwrites a global after load (update of key 0 on its section map; not possible for frozen .rodata).
     *
     * <p>The kernel only updates a section as a whole, so this is a read-modify-write of the entire section: a
     * program updating another variable of the same section meanwhile loses that update. Give variables that user
     * space writes a section of their own ({@code SEC(".data.control")}).
     */
    public void writeGlobal(String section, String variable, byte[] value) throws BpfException {
        requireOpen(true);
        GlobalVariable v = global(section, variable);
        if (value.length != v.size()) {
            throw new IllegalArgumentException(variable + " is " + v.size() + " bytes, got " + value.length);
        }
        BpfMap map = sectionMap(section);
        byte[] all = map.lookup(new byte[4]).orElseThrow();
        System.arraycopy(value, 0, all, v.offset(), value.length);
        map.update(new byte[4], all, BpfMap.BPF_ANY);
    }

    synchronized void track(BpfLink link) {
        links.add(link);
    }

    synchronized void untrack(BpfLink link) {
        links.remove(link);
    }

    void requireOpen(Boolean mustBeLoaded) {
        if (closed) {
            throw new IllegalStateException("object " + name + " is closed");
        }
        if (mustBeLoaded != null && mustBeLoaded != loaded) {
            throw new IllegalStateException("object " + name + (loaded
                    ? " is already loaded: rodata and initial values can no longer change"
                    : " is not loaded yet"));
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Destroys the links made through this object's programs, then the object (programs and maps). */
    @Override
    public void close() {
        List<BpfLink> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(links);
            links.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        lib.objectClose(obj);
        arena.close();
    }

    static byte[] littleEndian(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (loaded ? ", loaded" : "") + (closed ? ", closed" : "") + "]";
    }
}
