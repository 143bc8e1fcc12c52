package io.mapsnap.api.profile;

/** A profile could not be taken; the message says why (a missing capability, a perf_event error, ...). */
public class ProfilerException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProfilerException(String message) {
        super(message);
    }

    public ProfilerException(String message, Throwable cause) {
        super(message, cause);
    }
}
