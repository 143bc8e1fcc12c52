package io.mapsnap.api.vma;

/** The process does not exist, or exited before or during the walk: a clean result, not a failure. */
public class ProcessGoneException extends VmaCaptureException {
    private static final long serialVersionUID = 1L;

    private final int tgid;

    public ProcessGoneException(int tgid, String detail) {
        super("process " + tgid + " is gone: " + detail);
        this.tgid = tgid;
    }

    /** The process that was asked for. */
    public int tgid() {
        return tgid;
    }
}
