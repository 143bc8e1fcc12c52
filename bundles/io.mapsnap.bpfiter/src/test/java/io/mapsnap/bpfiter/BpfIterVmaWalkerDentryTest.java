package io.mapsnap.bpfiter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

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

    @Override
    protected void assumeKernelCanRun() throws IOException {
        byte[] btf = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        Assumptions.assumeTrue(new String(btf, StandardCharsets.ISO_8859_1).contains("bpf_iter_task_vma"),
                "this kernel has no task_vma bpf_iter (5.12+): the bpf-iter walker cannot run here");
    }
}
