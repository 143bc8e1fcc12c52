/**
 * A pure-Java reader for BTF, the BPF Type Format the kernel publishes in {@code /sys/kernel/btf/vmlinux} and,
 * per module, as split BTF in {@code /sys/kernel/btf/<module>}.
 *
 * <p>{@link io.mapsnap.kernel.btf.Btf#parse(byte[])} validates a blob completely up front (header, sections,
 * string offsets, kinds, record lengths, type ids, containment cycles) and throws
 * {@link io.mapsnap.kernel.btf.BtfFormatException} for anything it cannot trust, so that the queries on a parsed
 * {@link io.mapsnap.kernel.btf.Btf} never fail on the data. Types are the records of the sealed
 * {@link io.mapsnap.kernel.btf.BtfType}, one per kind of {@code include/uapi/linux/btf.h}.
 */
@Export
@Version("1.0.0")
package io.mapsnap.kernel.btf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
