/**
 * Process memory maps captured by mapsnap: one record format for every source, from the BPF kfunc
 * iterator down to the /proc text.
 */
@Export
@Version("2.2.0")
package io.mapsnap.api.vma;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
