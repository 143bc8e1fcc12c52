package io.mapsnap.kernel.btf;

import java.io.Serial;

/**
 * A BTF blob that cannot be trusted: truncated, corrupt, or using something this reader does not understand. It
 * carries the byte offset in the blob where the problem sits and what was expected there.
 *
 * <p>Checked, because a blob comes from outside the program (a kernel, a module, a file) and callers must decide
 * what a kernel without usable BTF means for them.
 */
public final class BtfFormatException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String problem;

    /**
     * @param offset byte offset in the blob at which the problem was found
     * @param problem what was found and what was expected instead
     */
    public BtfFormatException(long offset, String problem) {
        super("offset " + offset + ": " + problem);
        this.offset = offset;
        this.problem = problem;
    }

    /** Byte offset in the blob at which the problem was found. */
    public long offset() {
        return offset;
    }

    /** The message without the offset prefix. */
    public String problem() {
        return problem;
    }
}
