/**
 * How a component proves it can run here: by loading the very BPF object it will run. A component lists its
 * {@link io.mapsnap.kernel.program.ProgramVariant}s best first; {@link io.mapsnap.kernel.program.VariantSelection}
 * loads them in turn until the kernel accepts one (and the component's own check of the loaded program passes),
 * recording the kernel's words for every refusal; {@link io.mapsnap.kernel.program.ComponentPublication} registers
 * the component's status, and its service only when a variant was accepted. Nothing here throws at a user: a
 * refused component is a status with its reason.
 */
@Export
@Version("1.0.0")
package io.mapsnap.kernel.program;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
