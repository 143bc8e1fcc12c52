package io.mapsnap.api.vma;

/** A source could not capture a memory map; the message names the source, the process and the evidence. */
public class VmaCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    public VmaCaptureException(String message) {
        super(message);
    }

    public VmaCaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
