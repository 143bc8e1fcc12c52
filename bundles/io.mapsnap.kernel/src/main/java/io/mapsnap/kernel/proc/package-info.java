/**
 * What /proc says about a process, read the one way every bundle needs it (its identity across pid reuse).
 */
@Export
@Version("1.0.0")
package io.mapsnap.kernel.proc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
