/**
 * Text renderings of API types shared by the command line and the Gogo shell. The JSON keys are part of the
 * contract (documented in the README): changing one is a major version change of this package.
 */
@Export
@Version("1.0.0")
package io.mapsnap.api.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
