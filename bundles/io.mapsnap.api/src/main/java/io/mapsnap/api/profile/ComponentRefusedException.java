package io.mapsnap.api.profile;

/**
 * A profile could not be taken because a component it needs cannot run here: the sampler was refused by the kernel,
 * or the collector asked for was refused or is not installed. The message is one line with the kernel's reason.
 */
public final class ComponentRefusedException extends ProfilerException {
    private static final long serialVersionUID = 1L;

    public ComponentRefusedException(String message) {
        super(message);
    }
}
