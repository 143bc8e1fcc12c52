/**
 * Handles on BPF objects, programs, maps, links and ring buffers loaded through libbpf, plus the few raw
 * syscalls mapsnap needs (perf_event_open, BPF_ENABLE_STATS, BPF_OBJ_GET_INFO_BY_FD, PROCMAP_QUERY).
 *
 * <p>Every handle is a final {@link java.lang.AutoCloseable} that owns exactly one native resource; closing twice
 * is harmless. Failures are {@link io.mapsnap.kernel.bpf.BpfException}s that carry the failing call and its errno.
 * No type of this package exposes a native pointer: the FFM bindings live in private packages.
 */
@Export
@Version("1.0.0")
package io.mapsnap.kernel.bpf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
