package io.mapsnap.kernel.bpf;

/** bpf_object__load failed; carries what the verifier said about the program(s) that failed. */
public final class BpfLoadException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String verifierLog;

    public BpfLoadException(String call, int errno, String message, String verifierLog) {
        super(call, errno, message);
        this.verifierLog = verifierLog == null ? "" : verifierLog;
    }

    /**
     * The verifier log of every program that logged something, each preceded by a {@code --- program NAME ---}
     * line; empty when the failure happened before any program reached the verifier (BTF, maps, relocations).
     */
    public String verifierLog() {
        return verifierLog;
    }
}
