package io.mapsnap.kernel.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.Errno;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;

/**
 * libbpf.so.1 over FFM. Built once, on first use, never in a static initializer of a component: a missing or too
 * old library becomes a {@link LibbpfUnavailableException} that is cached and rethrown on every later call.
 *
 * <p>The library and the print upcall live in the global arena: libbpf keeps the print callback in a process-wide
 * variable, so the stub must outlive every libbpf call, including calls made by a later incarnation of this bundle
 * after a refresh (which re-installs its own callback). {@code SymbolLookup.libraryLookup} is used rather than
 * {@code System.load} because the latter ties the library to one class loader and fails after a bundle refresh.
 */
final class LibbpfBinding implements Libbpf {
    private static final String LIBRARY = "libbpf.so.1";
    /** 1.0 removed ERR_PTR returns: NULL / negative codes plus errno, which is what this binding relies on. */
    private static final int MIN_MAJOR = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final System.Logger LIBBPF_LOG = System.getLogger("io.mapsnap.kernel.libbpf");

    private static final Object LOCK = new Object();
    private static volatile LibbpfBinding instance;
    private static LibbpfUnavailableException failure;

    private static final int PRINT_BUFFER = 4096;

    private final String library;
    private final SymbolLookup lib;
    private int major = -1;
    private int minor = -1;

    private final MethodHandle numPossibleCpus;
    private final MethodHandle openMem;
    private final MethodHandle objectLoad;
    private final MethodHandle objectClose;
    private final MethodHandle nextProgram;
    private final MethodHandle nextMap;
    private final MethodHandle objectBtf;
    private final MethodHandle programName;
    private final MethodHandle programSectionName;
    private final MethodHandle programFd;
    private final MethodHandle programType;
    private final MethodHandle programSetAutoload;
    private final MethodHandle programSetLogBuf;
    private final MethodHandle programSetLogLevel;
    private final MethodHandle programAttach;
    private final MethodHandle programAttachPerfEvent;
    private final MethodHandle programAttachRawTracepoint;
    private final MethodHandle programAttachTrace;
    private final MethodHandle programAttachIter;
    private final MethodHandle linkFd;
    private final MethodHandle linkDestroy;
    private final MethodHandle mapName;
    private final MethodHandle mapFd;
    private final MethodHandle mapType;
    private final MethodHandle mapKeySize;
    private final MethodHandle mapValueSize;
    private final MethodHandle mapMaxEntries;
    private final MethodHandle mapSetMaxEntries;
    private final MethodHandle mapInitialValue;
    private final MethodHandle mapSetInitialValue;
    private final MethodHandle mapLookupElem;
    private final MethodHandle mapUpdateElem;
    private final MethodHandle mapDeleteElem;
    private final MethodHandle mapGetNextKey;
    private final MethodHandle mapLookupBatch; // optional (libbpf 0.0.8+)
    private final MethodHandle iterCreate;
    private final MethodHandle btfFindByNameKind;
    private final MethodHandle btfTypeById;
    private final MethodHandle btfNameByOffset;
    private final MethodHandle ringBufferNew; // optional, like the three below (libbpf 0.0.9+)
    private final MethodHandle ringBufferPoll;
    private final MethodHandle ringBufferConsume;
    private final MethodHandle ringBufferFree;
    private final MethodHandle vsnprintf;
    private final MethodHandle sampleAdapter;

    static LibbpfBinding instance() throws LibbpfUnavailableException {
        LibbpfBinding b = instance;
        if (b != null) {
            return b;
        }
        synchronized (LOCK) {
            if (instance == null && failure == null) {
                try {
                    instance = new LibbpfBinding(LIBRARY);
                } catch (LibbpfUnavailableException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new LibbpfUnavailableException(failure.call(), failure.getMessage());
            }
            return instance;
        }
    }

    LibbpfBinding(String library) throws LibbpfUnavailableException {
        this.library = library;
        try {
            lib = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LibbpfUnavailableException("dlopen", library + " cannot be loaded (" + e.getMessage()
                    + "); install libbpf1 (Debian/Ubuntu) or libbpf (Fedora)");
        }
        try {
            major = (int) plain("libbpf_major_version", FunctionDescriptor.of(JAVA_INT)).invokeExact();
            minor = (int) plain("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (LibbpfUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (major < MIN_MAJOR) {
            throw new LibbpfUnavailableException("libbpf_major_version",
                    library + " is " + major + "." + minor + "; mapsnap needs " + MIN_MAJOR + ".0 or later");
        }
        numPossibleCpus = plain("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        openMem = errno("bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        objectLoad = errno("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = plain("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        nextProgram = plain("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        nextMap = plain("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectBtf = plain("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programName = plain("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSectionName = plain("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programFd = plain("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        programType = plain("bpf_program__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        programSetAutoload = errno("bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        programSetLogBuf = errno("bpf_program__set_log_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        programSetLogLevel = errno("bpf_program__set_log_level", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        programAttach = errno("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programAttachPerfEvent = errno("bpf_program__attach_perf_event", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        programAttachRawTracepoint = errno("bpf_program__attach_raw_tracepoint", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programAttachTrace = errno("bpf_program__attach_trace", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programAttachIter = errno("bpf_program__attach_iter", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        linkFd = plain("bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        linkDestroy = plain("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapName = plain("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        mapFd = plain("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapType = plain("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapKeySize = plain("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapValueSize = plain("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapMaxEntries = plain("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries = errno("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapInitialValue = plain("bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapSetInitialValue = errno("bpf_map__set_initial_value", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapLookupElem = errno("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapUpdateElem = errno("bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapDeleteElem = errno("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        mapGetNextKey = errno("bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapLookupBatch = optional("bpf_map_lookup_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        iterCreate = errno("bpf_iter_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        btfFindByNameKind = plain("btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        btfTypeById = plain("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfNameByOffset = plain("btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        ringBufferNew = optional("ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        ringBufferPoll = optional("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        ringBufferConsume = optional("ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        ringBufferFree = lib.find("ring_buffer__free").map(f -> LINKER.downcallHandle(f, FunctionDescriptor.ofVoid(ADDRESS)))
                .orElse(null);
        vsnprintf = LINKER.downcallHandle(LINKER.defaultLookup().find("vsnprintf").orElseThrow(
                () -> new LibbpfUnavailableException("dlsym", "the C library has no vsnprintf")),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
        try {
            sampleAdapter = MethodHandles.lookup().findStatic(LibbpfBinding.class, "sample",
                    MethodType.methodType(int.class, RingBufferSample.class, MemorySegment.class, MemorySegment.class,
                            long.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        installPrint();
    }

    private MethodHandle plain(String name, FunctionDescriptor fd) throws LibbpfUnavailableException {
        return LINKER.downcallHandle(require(name), fd);
    }

    private MethodHandle errno(String name, FunctionDescriptor fd) throws LibbpfUnavailableException {
        return LINKER.downcallHandle(require(name), fd, Linker.Option.captureCallState("errno"));
    }

    private MethodHandle optional(String name, FunctionDescriptor fd) {
        return lib.find(name).map(s -> LINKER.downcallHandle(s, fd, Linker.Option.captureCallState("errno")))
                .orElse(null);
    }

    private MemorySegment require(String name) throws LibbpfUnavailableException {
        return lib.find(name).orElseThrow(() -> new LibbpfUnavailableException("dlsym",
                describe() + " lacks " + name));
    }

    private String describe() {
        return major < 0 ? library : library + " " + major + "." + minor;
    }

    // ---- libbpf's own log -> System.Logger -------------------------------------------------------------------

    private void installPrint() throws LibbpfUnavailableException {
        try {
            MethodHandle target = MethodHandles.lookup().findVirtual(LibbpfBinding.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
            // va_list is __va_list_tag[1]: as a parameter it decays to a pointer on x86-64, hence ADDRESS.
            MemorySegment stub = LINKER.upcallStub(target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
                    Arena.global());
            MethodHandle setPrint = plain("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
            MemorySegment previous = (MemorySegment) setPrint.invokeExact(stub);
            assert previous != null;
        } catch (LibbpfUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private int print(int level, MemorySegment format, MemorySegment args) {
        // An exception escaping an upcall kills the JVM: never let one out.
        try {
            System.Logger.Level javaLevel = switch (level) {
                case 0 -> System.Logger.Level.WARNING; // LIBBPF_WARN
                case 1 -> System.Logger.Level.INFO; // LIBBPF_INFO
                default -> System.Logger.Level.DEBUG; // LIBBPF_DEBUG
            };
            boolean log = LIBBPF_LOG.isLoggable(javaLevel);
            // Warnings are what a refused load's verdict quotes (a kfunc libbpf cannot find, a CO-RE relocation it
            // cannot resolve): collect them for the caller whatever the log level.
            boolean capture = level == 0 && LibbpfMessages.capturing();
            if (!log && !capture) {
                return 0;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(PRINT_BUFFER);
                int n = (int) vsnprintf.invokeExact(buf, (long) PRINT_BUFFER, format, args);
                if (n > 0) {
                    String text = buf.getString(0).stripTrailing();
                    if (capture) {
                        LibbpfMessages.add(text);
                    }
                    if (log) {
                        LIBBPF_LOG.log(javaLevel, text);
                    }
                }
            }
        } catch (Throwable t) {
            // Logging must not take the process down; drop the line.
        }
        return 0;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** libbpf 1.x returns -errno and also sets errno; prefer the return value, fall back to errno. */
    private static int codeOf(int ret, MemorySegment state) {
        return ret < 0 && ret != -1 ? -ret : Math.max(errnoOf(state), 1);
    }

    private static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static AssertionError rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new AssertionError(t);
    }

    private static MemorySegment checkPointer(String call, MemorySegment p, MemorySegment state) throws BpfException {
        if (p.equals(MemorySegment.NULL)) {
            throw new BpfException(call, Math.max(errnoOf(state), 1));
        }
        return p;
    }

    private static void checkInt(String call, int ret, MemorySegment state) throws BpfException {
        if (ret < 0) {
            throw new BpfException(call, codeOf(ret, state));
        }
    }

    // ---- Libbpf ----------------------------------------------------------------------------------------------

    @Override
    public int majorVersion() {
        return major;
    }

    @Override
    public int minorVersion() {
        return minor;
    }

    @Override
    public int numPossibleCpus() throws BpfException {
        try {
            int n = (int) numPossibleCpus.invokeExact();
            if (n <= 0) {
                throw new BpfException("libbpf_num_possible_cpus", -n);
            }
            return n;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment objectOpenMem(MemorySegment elf, String objectName) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment opts = arena.allocate(LibbpfOpts.OPEN_OPTS);
            LibbpfOpts.OPEN_OPTS_SZ.set(opts, 0L, opts.byteSize());
            // libbpf strdup()s the name, so the confined arena may free it after the call.
            LibbpfOpts.OPEN_OPTS_OBJECT_NAME.set(opts, 0L, arena.allocateFrom(objectName));
            MemorySegment obj = (MemorySegment) openMem.invokeExact(state, elf, elf.byteSize(), opts);
            return checkPointer("bpf_object__open_mem", obj, state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void objectLoad(MemorySegment obj) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_object__load", (int) objectLoad.invokeExact(state, obj), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void objectClose(MemorySegment obj) {
        try {
            objectClose.invokeExact(obj);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment objectNextProgram(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) nextProgram.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment objectNextMap(MemorySegment obj, MemorySegment prev) {
        try {
            return (MemorySegment) nextMap.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String programName(MemorySegment prog) {
        try {
            return string((MemorySegment) programName.invokeExact(prog));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String programSectionName(MemorySegment prog) {
        try {
            return string((MemorySegment) programSectionName.invokeExact(prog));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int programFd(MemorySegment prog) {
        try {
            return (int) programFd.invokeExact(prog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int programType(MemorySegment prog) {
        try {
            return (int) programType.invokeExact(prog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void programSetAutoload(MemorySegment prog, boolean autoload) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_program__set_autoload", (int) programSetAutoload.invokeExact(state, prog, autoload), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void programSetLogBuf(MemorySegment prog, MemorySegment buf) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_program__set_log_buf",
                    (int) programSetLogBuf.invokeExact(state, prog, buf, buf.byteSize()), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void programSetLogLevel(MemorySegment prog, int level) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_program__set_log_level", (int) programSetLogLevel.invokeExact(state, prog, level), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment programAttach(MemorySegment prog) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return checkPointer("bpf_program__attach", (MemorySegment) programAttach.invokeExact(state, prog), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment programAttachPerfEvent(MemorySegment prog, int perfFd) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return checkPointer("bpf_program__attach_perf_event",
                    (MemorySegment) programAttachPerfEvent.invokeExact(state, prog, perfFd), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment programAttachRawTracepoint(MemorySegment prog, String tracepoint) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return checkPointer("bpf_program__attach_raw_tracepoint", (MemorySegment) programAttachRawTracepoint
                    .invokeExact(state, prog, arena.allocateFrom(tracepoint)), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment programAttachTrace(MemorySegment prog) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return checkPointer("bpf_program__attach_trace",
                    (MemorySegment) programAttachTrace.invokeExact(state, prog), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment programAttachIter(MemorySegment prog, Integer pid) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment opts = MemorySegment.NULL;
            if (pid != null) {
                MemorySegment info = arena.allocate(LibbpfOpts.ITER_LINK_INFO_TASK);
                LibbpfOpts.LINK_INFO_TASK_PID.set(info, 0L, (int) pid);
                opts = arena.allocate(LibbpfOpts.ITER_ATTACH_OPTS);
                LibbpfOpts.ITER_OPTS_SZ.set(opts, 0L, opts.byteSize());
                LibbpfOpts.ITER_OPTS_LINK_INFO.set(opts, 0L, info);
                LibbpfOpts.ITER_OPTS_LINK_INFO_LEN.set(opts, 0L, (int) info.byteSize());
            }
            return checkPointer("bpf_program__attach_iter",
                    (MemorySegment) programAttachIter.invokeExact(state, prog, opts), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int linkFd(MemorySegment link) {
        try {
            return (int) linkFd.invokeExact(link);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void linkDestroy(MemorySegment link) {
        try {
            int ignored = (int) linkDestroy.invokeExact(link);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String mapName(MemorySegment map) {
        try {
            return string((MemorySegment) mapName.invokeExact(map));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mapFd(MemorySegment map) {
        try {
            return (int) mapFd.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mapType(MemorySegment map) {
        try {
            return (int) mapType.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mapKeySize(MemorySegment map) {
        try {
            return (int) mapKeySize.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mapValueSize(MemorySegment map) {
        try {
            return (int) mapValueSize.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int mapMaxEntries(MemorySegment map) {
        try {
            return (int) mapMaxEntries.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mapSetMaxEntries(MemorySegment map, int maxEntries) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_map__set_max_entries", (int) mapSetMaxEntries.invokeExact(state, map, maxEntries), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public byte[] mapInitialValue(MemorySegment map) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            MemorySegment p = (MemorySegment) mapInitialValue.invokeExact(map, size);
            if (p.equals(MemorySegment.NULL)) {
                throw new BpfException("bpf_map__initial_value", Errno.EINVAL, "not an internal map with initial data");
            }
            return p.reinterpret(size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mapSetInitialValue(MemorySegment map, byte[] value) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, value);
            checkInt("bpf_map__set_initial_value",
                    (int) mapSetInitialValue.invokeExact(state, map, data, (long) value.length), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean mapLookupElem(int fd, MemorySegment key, MemorySegment value) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int ret = (int) mapLookupElem.invokeExact(state, fd, key, value);
            if (ret < 0 && codeOf(ret, state) == Errno.ENOENT) {
                return false;
            }
            checkInt("bpf_map_lookup_elem", ret, state);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mapUpdateElem(int fd, MemorySegment key, MemorySegment value, long flags) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            checkInt("bpf_map_update_elem", (int) mapUpdateElem.invokeExact(state, fd, key, value, flags), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean mapDeleteElem(int fd, MemorySegment key) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int ret = (int) mapDeleteElem.invokeExact(state, fd, key);
            if (ret < 0 && codeOf(ret, state) == Errno.ENOENT) {
                return false;
            }
            checkInt("bpf_map_delete_elem", ret, state);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean mapGetNextKey(int fd, MemorySegment key, MemorySegment nextKey) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int ret = (int) mapGetNextKey.invokeExact(state, fd, key, nextKey);
            if (ret < 0 && codeOf(ret, state) == Errno.ENOENT) {
                return false;
            }
            checkInt("bpf_map_get_next_key", ret, state);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean hasMapLookupBatch() {
        return mapLookupBatch != null;
    }

    @Override
    public boolean mapLookupBatch(int fd, MemorySegment inBatch, MemorySegment outBatch, MemorySegment keys,
            MemorySegment values, MemorySegment count) throws BpfException {
        if (mapLookupBatch == null) {
            throw new BpfException("bpf_map_lookup_batch", Errno.EOPNOTSUPP,
                    describe() + " has no bpf_map_lookup_batch");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int ret = (int) mapLookupBatch.invokeExact(state, fd, inBatch, outBatch, keys, values, count,
                    MemorySegment.NULL);
            if (ret < 0 && codeOf(ret, state) == Errno.ENOENT) {
                return false;
            }
            checkInt("bpf_map_lookup_batch", ret, state);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int iterCreate(int linkFd) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) iterCreate.invokeExact(state, linkFd);
            checkInt("bpf_iter_create", fd, state);
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Map<String, SectionVariable> sectionVariables(MemorySegment obj, String section) {
        Map<String, SectionVariable> vars = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment btf = (MemorySegment) objectBtf.invokeExact(obj);
            if (btf.equals(MemorySegment.NULL)) {
                return vars;
            }
            int id = (int) btfFindByNameKind.invokeExact(btf, arena.allocateFrom(section), BtfTypes.KIND_DATASEC);
            if (id <= 0) {
                return vars;
            }
            MemorySegment head = typeById(btf, id).reinterpret(BtfTypes.TYPE.byteSize());
            int vlen = BtfTypes.vlen((int) BtfTypes.TYPE_INFO.get(head, 0L));
            MemorySegment infos = head.reinterpret(BtfTypes.TYPE.byteSize() + vlen * BtfTypes.VAR_SECINFO.byteSize())
                    .asSlice(BtfTypes.TYPE.byteSize());
            for (int i = 0; i < vlen; i++) {
                long base = i * BtfTypes.VAR_SECINFO.byteSize();
                MemorySegment var = typeById(btf, (int) BtfTypes.SECINFO_TYPE.get(infos, base))
                        .reinterpret(BtfTypes.TYPE.byteSize());
                if (BtfTypes.kind((int) BtfTypes.TYPE_INFO.get(var, 0L)) != BtfTypes.KIND_VAR) {
                    continue; // DATASECs can also list functions (extern ksyms); not globals
                }
                String name = string((MemorySegment) btfNameByOffset.invokeExact(btf,
                        (int) BtfTypes.TYPE_NAME_OFF.get(var, 0L)));
                vars.put(name, new SectionVariable((int) BtfTypes.SECINFO_OFFSET.get(infos, base),
                        (int) BtfTypes.SECINFO_SIZE.get(infos, base)));
            }
            return vars;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private MemorySegment typeById(MemorySegment btf, int id) throws Throwable {
        MemorySegment p = (MemorySegment) btfTypeById.invokeExact(btf, id);
        if (p.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("BTF type id " + id + " is out of range");
        }
        return p;
    }

    @Override
    public boolean hasRingBuffer() {
        return ringBufferNew != null && ringBufferPoll != null && ringBufferConsume != null && ringBufferFree != null;
    }

    private static int sample(RingBufferSample sample, MemorySegment ctx, MemorySegment data, long size) {
        try {
            return sample.accept(data.reinterpret(size));
        } catch (Throwable t) {
            // A negative return stops ring_buffer__poll, which then returns it: surfaces as EINVAL.
            return -Errno.EINVAL;
        }
    }

    @Override
    public MemorySegment ringBufferCallback(RingBufferSample sample, Arena arena) {
        MethodHandle target = MethodHandles.insertArguments(sampleAdapter, 0, sample);
        return LINKER.upcallStub(target, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), arena);
    }

    private void requireRingBuffer(String call) throws BpfException {
        if (!hasRingBuffer()) {
            throw new BpfException(call, Errno.EOPNOTSUPP, describe() + " has no ring_buffer API");
        }
    }

    @Override
    public MemorySegment ringBufferNew(int mapFd, MemorySegment callback) throws BpfException {
        requireRingBuffer("ring_buffer__new");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return checkPointer("ring_buffer__new", (MemorySegment) ringBufferNew.invokeExact(state, mapFd, callback,
                    MemorySegment.NULL, MemorySegment.NULL), state);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringBufferPoll(MemorySegment rb, int timeoutMs) throws BpfException {
        requireRingBuffer("ring_buffer__poll");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int n = (int) ringBufferPoll.invokeExact(state, rb, timeoutMs);
            if (n < 0 && codeOf(n, state) == Errno.EINTR) {
                return 0;
            }
            checkInt("ring_buffer__poll", n, state);
            return n;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ringBufferConsume(MemorySegment rb) throws BpfException {
        requireRingBuffer("ring_buffer__consume");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int n = (int) ringBufferConsume.invokeExact(state, rb);
            checkInt("ring_buffer__consume", n, state);
            return n;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void ringBufferFree(MemorySegment rb) {
        requireRingBufferUnchecked();
        try {
            ringBufferFree.invokeExact(rb);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void requireRingBufferUnchecked() {
        if (ringBufferFree == null) {
            throw new IllegalStateException("ring_buffer__free missing although ring_buffer__new succeeded");
        }
    }
}
