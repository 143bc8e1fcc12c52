package io.mapsnap.iter;

import io.mapsnap.kernel.vma.DentryPathWalkerContract;

/** kfunc_vma_walker_dentry, the kfunc walker naming files from the dentry chain, against /proc on the host. */
class KfuncVmaWalkerDentryTest extends DentryPathWalkerContract {
    @Override
    protected String objectName() {
        return "kfunc_vma_walker_dentry";
    }

    @Override
    protected Class<?> owner() {
        return KfuncVmaSource.class;
    }
}
