package io.mapsnap.api.vma;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Memory maps kept for as long as samples may need them, including after the process exited. Snapshots are
 * taken with the best {@link VmaSource} registered at the time of the call; swapping sources (installing,
 * stopping or updating a walker bundle) never drops what the cache already holds.
 */
@ProviderType
public interface ProcessMapCache {
    /** Takes a snapshot of {@code tgid} now with the best source and keeps it, keyed by the process identity. */
    VmaSnapshot capture(int tgid) throws VmaCaptureException;

    /** The kept snapshot of the process ({@code tgid}, start time in clock ticks), if any. */
    Optional<VmaSnapshot> cached(int tgid, long processStartTime);

    /** How many snapshots are kept. */
    int size();

    /** The name of the source new snapshots come from, or {@code "none"}. */
    String activeSource();

    /** How many snapshots each source has taken since the cache started, e.g. {@code {kfunc=12, procfs=3}}. */
    java.util.Map<String, Long> snapshotsBySource();
}
