package io.mapsnap.cli;

/** A component the command needs cannot run on this kernel (or is not installed): one line, exit status 4. */
final class CannotRunHereException extends Exception {
    private static final long serialVersionUID = 1L;

    CannotRunHereException(String message) {
        super(message);
    }
}
