package io.mapsnap.bpfiter;

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
 * On-demand snapshots with the task_vma bpf_iter (Linux 5.12+): the kernel calls an iter/task_vma program once per
 * VMA of the target, which names files exactly with bpf_d_path. Ranked below the kfunc walker because the snapshot
 * is not atomic: the iterator drops the mmap lock between VMAs whenever a writer waits, so a process that maps while
 * it is walked may be seen partly before and partly after the change (each VMA is still reported once, in address
 * order). Enabled only where the kernel bundle proved the iterator works.
 */
@Component(configurationPid = "io.mapsnap.bpfiter",
        property = VmaSource.SOURCE_PROPERTY + "=" + BpfIterVmaSource.NAME)
@ServiceRanking(BpfIterVmaSource.RANKING)
@SatisfyingConditionTarget("(osgi.condition.id=mapsnap.bpf-iter-task-vma)")
public final class BpfIterVmaSource implements VmaSource {
    static final String NAME = "bpf-iter";
    static final int RANKING = 200;

    private final IterVmaWalker walker;

    @Activate
    public BpfIterVmaSource(BpfIterVmaSourceConfig config) throws BpfException, IOException {
        walker = new IterVmaWalker(NAME, "bpf_iter_vma_walker", BpfIterVmaSource.class, config.maxVmas());
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
