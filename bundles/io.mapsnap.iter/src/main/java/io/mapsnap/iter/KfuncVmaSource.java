package io.mapsnap.iter;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.component.propertytypes.ServiceRanking;

import io.mapsnap.api.vma.VmaCaptureException;
import io.mapsnap.api.vma.VmaSnapshot;
import io.mapsnap.api.vma.VmaSource;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.vma.IterVmaWalker;

/**
 * On-demand snapshots with the open-coded kfunc iterator (Linux 6.7+): an iter/task program walks the target's
 * VMAs under the mmap read lock, so the snapshot is consistent, and names files exactly with bpf_d_path.
 * Enabled only where the kernel bundle proved the iterator works in process context.
 */
@Component(configurationPid = "io.mapsnap.iter", property = VmaSource.SOURCE_PROPERTY + "=" + KfuncVmaSource.NAME)
@ServiceRanking(KfuncVmaSource.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.kfunc-task-vma-iter-in-process-context)")
public final class KfuncVmaSource implements VmaSource {
    static final String NAME = "kfunc";
    static final int RANKING = 400;

    private final IterVmaWalker walker;

    @Activate
    public KfuncVmaSource(KfuncVmaSourceConfig config) throws BpfException, IOException {
        walker = new IterVmaWalker(NAME, "kfunc_vma_walker", KfuncVmaSource.class, config.maxVmas());
    }

    @Deactivate
    void deactivate() {
        walker.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VmaSnapshot snapshot(int tgid) throws VmaCaptureException {
        return walker.snapshot(tgid);
    }
}
