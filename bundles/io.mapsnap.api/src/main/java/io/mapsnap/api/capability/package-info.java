/**
 * What the running kernel can do for mapsnap, measured rather than assumed.
 *
 * <p>The kernel bundle publishes one {@link io.mapsnap.api.capability.KernelCapabilities} service and one OSGi
 * Condition per capability that holds ({@code osgi.condition.id=mapsnap.<key>}). Components do not gate on them:
 * each proves itself by loading its own program ({@link io.mapsnap.api.component.ComponentStatus}).
 */
@Export
@Version("2.0.0")
package io.mapsnap.api.capability;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
