package io.mapsnap.kernel.bpf;

import java.util.List;

/** bpf_object__load failed; carries what the verifier and libbpf said about the program(s) that failed. */
public final class BpfLoadException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String verifierLog;
    private final List<String> libbpfWarnings;
    private final boolean injected;

    public BpfLoadException(String call, int errno, String message, String verifierLog, List<String> libbpfWarnings,
            boolean injected) {
        super(call, errno, message);
        this.verifierLog = verifierLog == null ? "" : verifierLog;
        this.libbpfWarnings = List.copyOf(libbpfWarnings);
        this.injected = injected;
    }

    public BpfLoadException(String call, int errno, String message, String verifierLog) {
        this(call, errno, message, verifierLog, List.of(), false);
    }

    /**
     * The verifier log of every program that logged something, each preceded by a {@code --- program NAME ---}
     * line; empty when the failure happened before any program reached the verifier (BTF, maps, relocations).
     */
    public String verifierLog() {
        return verifierLog;
    }

    /** libbpf's warnings during the load, in order (a kfunc or CO-RE relocation it could not resolve, ...). */
    public List<String> libbpfWarnings() {
        return libbpfWarnings;
    }

    /** Whether {@link FaultInjection} refused the load rather than the kernel. */
    public boolean injected() {
        return injected;
    }

    /** The refusal in one line: the errno's name and {@link #reason()}, as {@code EACCES: R1 type=untrusted_ptr_ ...}. */
    public String refusal() {
        return errnoName() + ": " + reason();
    }

    /**
     * Why, in the kernel's or libbpf's own words: the decisive verifier line(s), else libbpf's warning, else the
     * errno's description.
     */
    public String reason() {
        String decisive = VerifierLog.decisive(verifierLog, libbpfWarnings);
        return decisive.isEmpty() ? "the kernel refused the load with " + Errno.describe(errno())
                + " and gave no verifier log" : decisive;
    }
}
