package io.mapsnap.kernel.bpf;

import java.lang.foreign.MemorySegment;

/** A program of a {@link BpfObject}; lives as long as its object. Links it creates are closed with the object. */
public final class BpfProgram {
    private final BpfObject owner;
    private final MemorySegment prog;
    private final String name;
    private final String sectionName;
    volatile String verifierLog = "";

    BpfProgram(BpfObject owner, MemorySegment prog) {
        this.owner = owner;
        this.prog = prog;
        this.name = owner.lib.programName(prog);
        this.sectionName = owner.lib.programSectionName(prog);
    }

    MemorySegment handle() {
        return prog;
    }

    /** The C function name. */
    public String name() {
        return name;
    }

    /** The ELF section, e.g. {@code raw_tp/sys_enter}, {@code perf_event}, {@code iter/task}. */
    public String sectionName() {
        return sectionName;
    }

    /** The program fd after load; negative before load or when not autoloaded. */
    public int fd() {
        owner.requireOpen(null);
        return owner.lib.programFd(prog);
    }

    /** {@code enum bpf_prog_type} (e.g. 7 = PERF_EVENT, 17 = RAW_TRACEPOINT, 26 = TRACING). */
    public int type() {
        owner.requireOpen(null);
        return owner.lib.programType(prog);
    }

    /**
     * What the verifier said when this program was loaded: empty at log level 0 unless the program was rejected
     * (see {@link BpfObject#setLogLevel(int)}).
     */
    public String verifierLog() {
        return verifierLog;
    }

    /** Whether {@link BpfObject#load()} loads this program (default true); only before load. */
    public void setAutoload(boolean autoload) throws BpfException {
        owner.requireOpen(false);
        owner.lib.programSetAutoload(prog, autoload);
    }

    /** Attaches according to the section name (bpf_program__attach). */
    public BpfLink attach() throws BpfException {
        owner.requireOpen(true);
        return track(owner.lib.programAttach(prog));
    }

    /**
     * Attaches to an open perf event (see {@link PerfEvent}); libbpf enables the event. The link does not own the
     * perf event fd: close the {@link PerfEvent} after the link.
     */
    public BpfLink attachPerfEvent(PerfEvent event) throws BpfException {
        return attachPerfEvent(event.fd());
    }

    public BpfLink attachPerfEvent(int perfFd) throws BpfException {
        owner.requireOpen(true);
        return track(owner.lib.programAttachPerfEvent(prog, perfFd));
    }

    /** Attaches a raw_tp program to the raw tracepoint {@code tracepoint} (e.g. {@code sys_enter}). */
    public BpfLink attachRawTracepoint(String tracepoint) throws BpfException {
        owner.requireOpen(true);
        return track(owner.lib.programAttachRawTracepoint(prog, tracepoint));
    }

    /** Attaches a tp_btf / fentry / fexit / fmod_ret program to the target named by its section. */
    public BpfLink attachTrace() throws BpfException {
        owner.requireOpen(true);
        return track(owner.lib.programAttachTrace(prog));
    }

    /**
     * Attaches an {@code iter/...} program; read it with {@link BpfLink#readIterator()}.
     *
     * @param pid for task iterators ({@code iter/task}, {@code iter/task_vma}, {@code iter/task_file}): only the
     *            tasks of that process; {@code null} for all. The filter exists since kernel 6.1; older kernels
     *            reject a non-null pid with EINVAL (unknown link_info field), so filter in the program there.
     */
    public BpfLink attachIter(Integer pid) throws BpfException {
        owner.requireOpen(true);
        return track(owner.lib.programAttachIter(prog, pid));
    }

    /**
     * Run count and cumulative run time from BPF_OBJ_GET_INFO_BY_FD. Both stay 0 unless run-time statistics are
     * on (see {@link BpfStats#enableRunTime()} or sysctl kernel.bpf_stats_enabled).
     */
    public BpfRunStats runStats() throws BpfException {
        owner.requireOpen(true);
        return BpfRunStats.of(fd());
    }

    private BpfLink track(MemorySegment link) {
        BpfLink l = new BpfLink(owner, link);
        owner.track(l);
        return l;
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + " in " + sectionName + "]";
    }
}
