package io.mapsnap.kernel.bpf;

/**
 * A libbpf call or a syscall failed.
 *
 * <p>Checked on purpose: the kernel refusing something (EPERM, EBUSY, ENOTSUPP, ...) is an expected outcome that
 * capability probes record as evidence, not a programming error, so callers must decide what it means.
 */
public class BpfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public BpfException(String call, int errno, String message) {
        super(call + " failed: " + Errno.describe(errno) + (message == null || message.isEmpty() ? "" : ": " + message));
        this.call = call;
        this.errno = errno;
    }

    public BpfException(String call, int errno) {
        this(call, errno, null);
    }

    /** The native function or syscall that failed, e.g. {@code bpf_object__load} or {@code perf_event_open}. */
    public String call() {
        return call;
    }

    /** The positive errno the call reported (0 when there was none). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code EPERM}, or {@code errno=N} for numbers without a name. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
