package io.mapsnap.cli;

/** Arguments the command line cannot accept; printed as one line plus the usage text, exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
