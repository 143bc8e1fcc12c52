package io.mapsnap.legacy;

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
 * Snapshots on kernels up to 6.0 by walking mm->mmap and vma->vm_next with CO-RE reads, bounded and flagged
 * when truncated. Paths are built from dentry names (bpf_d_path is not usable there), so a file on another
 * mount shows relative to that mount's root. Enabled only where struct mm_struct still has the list.
 */
@Component(configurationPid = "io.mapsnap.legacy", property = VmaSource.SOURCE_PROPERTY + "=" + LegacyVmaSource.NAME)
@ServiceRanking(LegacyVmaSource.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.mm-mmap-list)")
public final class LegacyVmaSource implements VmaSource {
    static final String NAME = "legacy";
    static final int RANKING = 300;

    private final IterVmaWalker walker;

    @Activate
    public LegacyVmaSource(LegacyVmaSourceConfig config) throws BpfException, IOException {
        walker = new IterVmaWalker(NAME, "legacy_vma_walker", LegacyVmaSource.class, config.maxVmas());
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
