// SPDX-License-Identifier: GPL-2.0
/* Which bit of f_mode is FMODE_BACKING here? It is a macro (not in BTF) and moved between kernels (bit 25 in
 * 6.6-6.13, bit 24 after the fsnotify rework, which stable kernels took too), so user space maps one file twice,
 * through a fresh overlayfs mount (a backing file) and directly, and compares the two f_modes this program reports:
 * one (vm_start, f_mode) pair per file-backed VMA of the target. CO-RE probe reads only, so the iterator's
 * untrusted vm_file is no obstacle. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_structs.h"

const volatile __u32 target_tgid = 0;

SEC("iter/task_vma")
int probe_backing_file_mode(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *task = ctx->task;
	struct vm_area_struct *vma = ctx->vma;
	struct file *file;
	__u64 pair[2];

	if (!task || !vma || task->tgid != target_tgid)
		return 0;
	file = BPF_CORE_READ(vma, vm_file);
	if (!file)
		return 0;
	pair[0] = BPF_CORE_READ(vma, vm_start);
	pair[1] = BPF_CORE_READ(file, f_mode);
	bpf_seq_write(ctx->meta->seq, pair, sizeof(pair));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
