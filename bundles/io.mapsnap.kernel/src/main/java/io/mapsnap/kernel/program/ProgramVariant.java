package io.mapsnap.kernel.program;

import java.io.IOException;
import java.util.Objects;

import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;

/**
 * One way a component can run: the BPF object {@code /bpf/OBJECT.bpf.o} of the component's bundle.
 *
 * @param name the variant's name within its component ({@code d-path}, {@code dentry-path})
 * @param objectName the object's name, which is also what {@link io.mapsnap.kernel.bpf.FaultInjection} matches
 * @param owner a class of the bundle that carries the object
 */
public record ProgramVariant(String name, String objectName, Class<?> owner) {
    public ProgramVariant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(objectName, "objectName");
        Objects.requireNonNull(owner, "owner");
    }

    /** The file the variant is, as verdicts name it. */
    public String artifact() {
        return objectName + ".bpf.o";
    }

    /** Opens the object from the owner's bundle; nothing reaches the kernel until it loads. */
    public BpfObject open() throws BpfException, IOException {
        return BpfObject.openBundled(owner, objectName);
    }
}
