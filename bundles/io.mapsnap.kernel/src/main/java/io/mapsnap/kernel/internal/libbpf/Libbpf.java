package io.mapsnap.kernel.internal.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.LibbpfUnavailableException;

/**
 * The libbpf 1.x functions mapsnap calls. Pointers are {@link MemorySegment}s; a failing call throws a
 * {@link BpfException} naming the C function and the errno captured for that very call.
 *
 * <p>Only the kernel bundle's {@code io.mapsnap.kernel.bpf} package uses this; nothing else calls native code.
 */
public interface Libbpf {
    /** The process-wide binding, loaded on first call; throws the same exception on every call if unusable. */
    static Libbpf get() throws LibbpfUnavailableException {
        return LibbpfBinding.instance();
    }

    /**
     * A separate binding of {@code library} (a soname or path), bypassing the process-wide one: for diagnostics and
     * for tests of the failure paths (missing library, missing symbol). Never installs itself as {@link #get()}.
     */
    static Libbpf load(String library) throws LibbpfUnavailableException {
        return new LibbpfBinding(library);
    }

    int majorVersion();

    int minorVersion();

    /** Number of possible CPUs (the stride of per-CPU map values). */
    int numPossibleCpus() throws BpfException;

    MemorySegment objectOpenMem(MemorySegment elf, String objectName) throws BpfException;

    void objectLoad(MemorySegment obj) throws BpfException;

    void objectClose(MemorySegment obj);

    /** Next program after {@code prev} ({@code NULL} for the first); {@code NULL} at the end. */
    MemorySegment objectNextProgram(MemorySegment obj, MemorySegment prev);

    MemorySegment objectNextMap(MemorySegment obj, MemorySegment prev);

    String programName(MemorySegment prog);

    String programSectionName(MemorySegment prog);

    int programFd(MemorySegment prog);

    int programType(MemorySegment prog);

    void programSetAutoload(MemorySegment prog, boolean autoload) throws BpfException;

    /** Points the verifier log of {@code prog} at {@code buf} (must stay alive until load returns). */
    void programSetLogBuf(MemorySegment prog, MemorySegment buf) throws BpfException;

    void programSetLogLevel(MemorySegment prog, int level) throws BpfException;

    MemorySegment programAttach(MemorySegment prog) throws BpfException;

    MemorySegment programAttachPerfEvent(MemorySegment prog, int perfFd) throws BpfException;

    MemorySegment programAttachRawTracepoint(MemorySegment prog, String tracepoint) throws BpfException;

    MemorySegment programAttachTrace(MemorySegment prog) throws BpfException;

    /** {@code pid} null: every task; otherwise only the tasks of that process (task iterators, kernel 6.1+). */
    MemorySegment programAttachIter(MemorySegment prog, Integer pid) throws BpfException;

    int linkFd(MemorySegment link);

    void linkDestroy(MemorySegment link);

    String mapName(MemorySegment map);

    int mapFd(MemorySegment map);

    int mapType(MemorySegment map);

    int mapKeySize(MemorySegment map);

    int mapValueSize(MemorySegment map);

    int mapMaxEntries(MemorySegment map);

    /** Before load: the map is created with {@code maxEntries} (a ring buffer's size in bytes). */
    void mapSetMaxEntries(MemorySegment map, int maxEntries) throws BpfException;

    /** A copy of the map's initial value (internal .data/.rodata/.bss maps before load). */
    byte[] mapInitialValue(MemorySegment map) throws BpfException;

    void mapSetInitialValue(MemorySegment map, byte[] value) throws BpfException;

    /** False when the key is absent (ENOENT). */
    boolean mapLookupElem(int fd, MemorySegment key, MemorySegment value) throws BpfException;

    void mapUpdateElem(int fd, MemorySegment key, MemorySegment value, long flags) throws BpfException;

    /** False when the key is absent (ENOENT). */
    boolean mapDeleteElem(int fd, MemorySegment key) throws BpfException;

    /** False when {@code key} was the last one (ENOENT). {@code key} NULL asks for the first key. */
    boolean mapGetNextKey(int fd, MemorySegment key, MemorySegment nextKey) throws BpfException;

    boolean hasMapLookupBatch();

    /**
     * One bpf_map_lookup_batch call. {@code count} holds a u32 capacity in, the number returned out. Returns false
     * when the map is exhausted (ENOENT; {@code count} still tells how many entries this call returned).
     */
    boolean mapLookupBatch(int fd, MemorySegment inBatch, MemorySegment outBatch, MemorySegment keys,
            MemorySegment values, MemorySegment count) throws BpfException;

    int iterCreate(int linkFd) throws BpfException;

    /** Where a global variable lives inside its data section. */
    record SectionVariable(int offset, int size) {
    }

    /**
     * The variables of the BTF DATASEC named {@code section} ({@code .rodata}, {@code .data}, {@code .bss}, ...) in
     * declaration order; empty when the object's BTF has no such DATASEC.
     */
    java.util.Map<String, SectionVariable> sectionVariables(MemorySegment obj, String section);

    boolean hasRingBuffer();

    /** Receives one ring buffer record from libbpf's ring_buffer__poll. */
    @FunctionalInterface
    interface RingBufferSample {
        int accept(MemorySegment data);
    }

    /** An upcall stub for ring_buffer__new, alive as long as {@code arena}. */
    MemorySegment ringBufferCallback(RingBufferSample sample, Arena arena);

    MemorySegment ringBufferNew(int mapFd, MemorySegment callback) throws BpfException;

    int ringBufferPoll(MemorySegment rb, int timeoutMs) throws BpfException;

    int ringBufferConsume(MemorySegment rb) throws BpfException;

    void ringBufferFree(MemorySegment rb);
}
