package io.mapsnap.api.vma;

/** Why a collector took a snapshot: tells a reader how fresh it is relative to the samples around it. */
public enum CaptureTrigger {
    /** The first time the process was seen in the collection (its first system call or sample). */
    FIRST_SEEN,
    /** The process's map changed since the last snapshot (its VMA count moved) and was walked again. */
    REFRESH,
    /** The process called exec: a new address space. */
    EXEC,
    /** The process was exiting: its final map, taken before the kernel tore it down. */
    EXIT,
    /** Inside the sampling program itself. */
    IN_SAMPLE,
    /** In the process itself on its return to user space, a whole walk queued by a sample of it (task_work). */
    DEFERRED,
    /** From user space after a sample named the process (the asynchronous way classic tools work). */
    AFTER_SAMPLE
}
