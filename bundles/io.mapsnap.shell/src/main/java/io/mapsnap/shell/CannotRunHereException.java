package io.mapsnap.shell;

/**
 * A component a command needs cannot run on this kernel (or is not installed). Gogo prints its one line; the
 * statuses behind it are in {@code mapsnap:caps}.
 */
public final class CannotRunHereException extends Exception {
    private static final long serialVersionUID = 1L;

    CannotRunHereException(String message) {
        super(message);
    }
}
