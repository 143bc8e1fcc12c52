/** The sampling profiler's service and the profile it produces. */
@Export
@Version("1.1.0")
package io.mapsnap.api.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
