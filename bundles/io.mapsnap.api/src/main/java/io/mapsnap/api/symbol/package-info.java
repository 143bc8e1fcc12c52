/** Symbolization: sampled addresses to functions, through the memory maps captured at collection time. */
@Export
@Version("1.1.0")
package io.mapsnap.api.symbol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
