package io.mapsnap.kernel.bpf;

/**
 * libbpf.so.1 (or the C library) cannot be used: it is missing, older than this binding supports, or lacks a
 * required symbol. Thrown at first use, never from a static initializer, so that DS can leave dependents
 * unsatisfied.
 */
public final class LibbpfUnavailableException extends BpfException {
    private static final long serialVersionUID = 1L;

    public LibbpfUnavailableException(String call, String message) {
        super(call, 0, message);
    }
}
