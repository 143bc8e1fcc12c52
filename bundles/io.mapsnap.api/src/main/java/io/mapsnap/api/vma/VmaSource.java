package io.mapsnap.api.vma;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One way of capturing a process's memory map. Each is registered with a {@code service.ranking} and the property
 * {@code mapsnap.source=<name>}, only where its own program loaded and walked a process here (its
 * {@link io.mapsnap.api.component.ComponentStatus} says which variant, or why not); consumers take the
 * highest-ranked one.
 */
@ConsumerType
public interface VmaSource {
    /** Service property naming the source. */
    String SOURCE_PROPERTY = "mapsnap.source";

    /** The source's name: {@code kfunc}, {@code legacy}, {@code find-vma}, {@code bpf-iter}, {@code procmap-query}, {@code procfs}. */
    String name();

    /**
     * Captures the memory map of process {@code tgid} now.
     *
     * @throws ProcessGoneException when the process does not exist or exited during the walk
     * @throws VmaCaptureException when the source failed for another reason (the message carries the evidence)
     */
    VmaSnapshot snapshot(int tgid) throws ProcessGoneException, VmaCaptureException;
}
