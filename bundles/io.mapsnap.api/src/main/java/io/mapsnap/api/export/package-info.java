/** Profile exporters: pprof, folded stacks, SVG flame graphs. */
@Export
@Version("1.0.0")
package io.mapsnap.api.export;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
