package io.mapsnap.api.vma;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Captures memory maps <em>while a collection runs</em>, at moments a profiler needs them: when a process is first
 * seen, when its map changes, when it calls exec and just before it exits. This is what lets samples of processes
 * that are gone by symbolization time still be resolved. Registered like {@link VmaSource}, with a
 * {@code service.ranking} and {@link #COLLECTOR_PROPERTY}, only where its own program loaded and ran here.
 */
@ConsumerType
public interface VmaCollector {
    /** Service property naming the collector. */
    String COLLECTOR_PROPERTY = "mapsnap.collector";

    /** The collector's name, e.g. {@code kfunc}, {@code legacy}, {@code procfs-async}. */
    String name();

    /**
     * Starts collecting for {@code scope}, delivering each snapshot to {@code sink} from a collector thread.
     *
     * @throws VmaCaptureException when the collector cannot start (the message carries the evidence)
     */
    CollectionSession start(CollectionScope scope, Consumer<CollectedSnapshot> sink) throws VmaCaptureException;
}
