package io.mapsnap.api.capability;

/**
 * The closed set of facts mapsnap measures about a kernel. Each key is stable: it names the OSGi condition
 * ({@code mapsnap.<key>}) and the JSON field printed by {@code mapsnap caps --json}. These are facts, not gates:
 * whether a component runs is decided by loading its own program ({@code io.mapsnap.api.component}).
 */
public enum Capability {
    /** /sys/kernel/btf/vmlinux exists and parses (mapsnap's own parser): CO-RE relocations and kfunc lookups work. */
    KERNEL_BTF("kernel-btf", Kind.BTF),
    /** The process holds CAP_BPF (or CAP_SYS_ADMIN, which implies it on kernels before 5.8). */
    PRIVILEGE_BPF("privilege-bpf", Kind.PRIVILEGE),
    /** The process holds CAP_PERFMON (or CAP_SYS_ADMIN): perf_event_open and tracing programs. */
    PRIVILEGE_PERFMON("privilege-perfmon", Kind.PRIVILEGE),
    /** The process holds CAP_SYS_ADMIN. */
    PRIVILEGE_SYS_ADMIN("privilege-sys-admin", Kind.PRIVILEGE),
    /** RLIMIT_MEMLOCK is unlimited, or the kernel charges BPF memory to cgroups (5.11+) so it does not matter. */
    MEMLOCK("memlock", Kind.PRIVILEGE),
    /** A BPF program of the simplest kind loads: the bpf() syscall and libbpf work at all. */
    BPF_LOAD("bpf-load", Kind.PROBE),
    /** The kfuncs bpf_iter_task_vma_new/next/destroy are in the kernel's BTF (6.7+). */
    KFUNC_TASK_VMA_ITER("kfunc-task-vma-iter", Kind.BTF),
    /** bpf_iter_task_vma_new returns 0 inside a perf_event program (refused with -EBUSY on reworked stable kernels). */
    KFUNC_TASK_VMA_ITER_IN_PERF_EVENT("kfunc-task-vma-iter-in-perf-event", Kind.PROBE),
    /** struct mm_struct still has the mmap list and vm_area_struct has vm_next (kernels up to 6.0). */
    MM_MMAP_LIST("mm-mmap-list", Kind.BTF),
    /**
     * A perf_event sample can defer a VMA walk to task context with bpf_task_work_schedule_resume (either shape: the
     * name upstream and 7.x use, or the {@code _impl} form of some 6.18 builds), and the walk runs.
     */
    TASK_WORK_SCHEDULE("task-work-schedule", Kind.PROBE),
    /** fentry programs load (some kernels restrict function tracing: EPERM). */
    FENTRY("fentry", Kind.PROBE),
    /** The bpf_find_vma helper can be called from perf_event programs (5.17+). */
    BPF_FIND_VMA("bpf-find-vma", Kind.PROBE),
    /** The PROCMAP_QUERY ioctl on /proc/PID/maps answers (6.11+). */
    PROCMAP_QUERY("procmap-query", Kind.SYSCALL),
    /** A hardware cycles perf event opens (absent in most VMs). */
    HARDWARE_PMU("hardware-pmu", Kind.SYSCALL),
    /** Stack maps accept BPF_F_USER_BUILD_ID. */
    USER_BUILD_ID_STACKS("user-build-id-stacks", Kind.PROBE),
    /** BPF_MAP_TYPE_RINGBUF maps can be created (5.8+). */
    RINGBUF("ringbuf", Kind.PROBE),
    /** sched_process_exit fires while the exiting task still has its mm (the tracepoint runs before exit_mm). */
    SCHED_EXIT_SEES_MM("sched-exit-sees-mm", Kind.PROBE),
    /** The /proc/PID/maps text of other processes is readable. Always the last resort. */
    PROCFS_MAPS("procfs-maps", Kind.FILE),
    /**
     * The FMODE_BACKING bit of struct file's f_mode (a macro, so not in BTF; it moved between kernels), read off a
     * file mapped through a fresh overlayfs mount: walkers need it to report an overlay file as /proc does.
     */
    BACKING_FILE_MODE("backing-file-mode", Kind.PROBE);

    /** How a capability is established. */
    public enum Kind {
        /** Process credentials and resource limits. */
        PRIVILEGE,
        /** Presence of a type, member or function in the kernel's BTF. */
        BTF,
        /** A BPF program loaded and run in the real context; its return code is the evidence. */
        PROBE,
        /** A system call or ioctl tried for real. */
        SYSCALL,
        /** A kernel file read. */
        FILE,
        /** Facts of the running kernel itself. */
        KERNEL
    }

    private final String key;
    private final Kind kind;

    Capability(String key, Kind kind) {
        this.key = key;
        this.kind = kind;
    }

    /** The stable key, for example {@code kfunc-task-vma-iter}. */
    public String key() {
        return key;
    }

    /** How the capability is measured. */
    public Kind kind() {
        return kind;
    }

    /** The value of {@code osgi.condition.id} registered while this capability holds. */
    public String conditionId() {
        return "mapsnap." + key;
    }

    /** The capability with the given key, or an exception naming the known keys. */
    public static Capability ofKey(String key) {
        for (Capability c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability '" + key + "'; known: "
                + java.util.Arrays.stream(values()).map(Capability::key).toList());
    }
}
