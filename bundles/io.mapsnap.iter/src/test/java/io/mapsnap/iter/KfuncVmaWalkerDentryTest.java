package io.mapsnap.iter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

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

    @Override
    protected void assumeKernelCanRun() throws IOException {
        byte[] btf = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        Assumptions.assumeTrue(new String(btf, StandardCharsets.ISO_8859_1).contains("bpf_iter_task_vma_new"),
                "this kernel has no bpf_iter_task_vma_new kfunc (6.7+): the kfunc walker cannot run here");
    }
}
