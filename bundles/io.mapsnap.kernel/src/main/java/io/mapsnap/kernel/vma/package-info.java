/**
 * Decoding of the VMA snapshot records that mapsnap's BPF walkers write (bpf-programs/include/mapsnap_records.h),
 * shared by every walker bundle so the record format has exactly one reader.
 */
@Export
@Version("1.2.0")
package io.mapsnap.kernel.vma;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
