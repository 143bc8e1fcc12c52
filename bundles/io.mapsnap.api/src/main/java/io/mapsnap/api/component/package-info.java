/**
 * What each of mapsnap's runtime components (VMA sources, collectors, the sampler) found when it tried to run on
 * this kernel: one {@link io.mapsnap.api.component.ComponentStatus} service per component, registered whether it
 * runs or was refused, with one {@link io.mapsnap.api.component.VariantVerdict} per program variant it tried.
 *
 * <p>A component is available exactly when one of its variants was accepted here: the capability is the program
 * that loaded, not a kernel version or a name in BTF.
 */
@Export
@Version("1.0.0")
package io.mapsnap.api.component;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
