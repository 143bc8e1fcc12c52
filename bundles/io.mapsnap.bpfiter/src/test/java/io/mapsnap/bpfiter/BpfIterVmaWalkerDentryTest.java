package io.mapsnap.bpfiter;

import io.mapsnap.kernel.vma.DentryPathWalkerContract;

/** bpf_iter_vma_walker_dentry, the task_vma bpf_iter walker naming files from the dentry chain, against /proc. */
class BpfIterVmaWalkerDentryTest extends DentryPathWalkerContract {
    @Override
    protected String objectName() {
        return "bpf_iter_vma_walker_dentry";
    }

    @Override
    protected Class<?> owner() {
        return BpfIterVmaSource.class;
    }
}
