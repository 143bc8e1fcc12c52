package io.mapsnap.kernel.program;

/**
 * A variant the kernel loaded but that failed the component's own check of it (a walk of this process that could
 * not start, a hook that does not fire): refused like a load, with the check's words.
 */
public final class VariantRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String errno;

    /**
     * @param errno the symbolic errno the check saw, or {@code null}
     * @param reason what the check found, in words a person can act on
     */
    public VariantRefusedException(String errno, String reason) {
        super(reason);
        this.errno = errno;
    }

    /** The symbolic errno, or {@code null}. */
    public String errno() {
        return errno;
    }
}
