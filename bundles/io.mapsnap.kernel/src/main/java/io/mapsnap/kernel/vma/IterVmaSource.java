package io.mapsnap.kernel.vma;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;

import io.mapsnap.api.component.ComponentKind;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;
import io.mapsnap.kernel.program.ComponentPublication;
import io.mapsnap.kernel.program.ProgramVariant;
import io.mapsnap.kernel.program.VariantRefusedException;
import io.mapsnap.kernel.program.VariantSelection;

/**
 * A {@link VmaSource} backed by one of the iterator walker objects (kfunc, bpf-iter, legacy). Which object runs is
 * decided here, by the kernel: each variant is loaded in turn, and the first that loads and walks this very process
 * is the source; a kernel that refuses them all gets a refused status naming the verifier's words, and no source.
 */
public final class IterVmaSource implements VmaSource {
    private final String name;
    private final IterVmaWalker walker;

    private IterVmaSource(String name, IterVmaWalker walker) {
        this.name = name;
        this.walker = walker;
    }

    /**
     * Chooses the first of {@code variants} the kernel accepts and registers it as source {@code name} with
     * {@code ranking}, beside its {@link ComponentStatus}; registers only the status when none is accepted.
     */
    public static ComponentPublication publish(BundleContext context, String name, int ranking, int maxVmas,
            List<ProgramVariant> variants) {
        VariantSelection<IterVmaSource> selection = select(name, maxVmas, variants);
        ComponentStatus status = new ComponentStatus(ComponentKind.SOURCE, name, ranking, selection.verdicts());
        IterVmaSource source = selection.chosen().orElse(null);
        return ComponentPublication.publish(context, status, VmaSource.class, source,
                Map.of(VmaSource.SOURCE_PROPERTY, name), source == null ? null : source.walker);
    }

    /** The first variant that loads and walks this process; the one a component would publish. */
    public static VariantSelection<IterVmaSource> select(String name, int maxVmas, List<ProgramVariant> variants) {
        return VariantSelection.firstAccepted(variants, (v, o) -> IterVmaWalker.configure(o, maxVmas), (v, o) -> {
            IterVmaWalker walker = new IterVmaWalker(name, o);
            int self = (int) ProcessHandle.current().pid();
            try {
                VmaSnapshot snapshot = walker.snapshot(self);
                // A source may be chosen and never asked (a profile walks with its collector): no ring mapped for it.
                walker.releaseRing();
                return new VariantSelection.Accepted<>(new IterVmaSource(name, walker), "loaded and walked this process ("
                        + self + "): " + snapshot.vmas().size() + " VMAs");
            } catch (VmaCaptureException e) {
                // The walker's ring reader keeps the map mapped: close it with the object.
                walker.close();
                throw new VariantRefusedException(null, "loaded, but a walk of this process failed: "
                        + e.getMessage());
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public VmaSnapshot snapshot(int tgid) throws VmaCaptureException {
        return walker.snapshot(tgid);
    }

    /** The walker itself, for benchmarks that read its programs' run time. */
    public IterVmaWalker walker() {
        return walker;
    }

    /** Closes the walker (and its object). */
    public void close() {
        walker.close();
    }
}
