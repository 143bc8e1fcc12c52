// SPDX-License-Identifier: GPL-2.0
/* Does SEC("iter/task_vma") work (5.12+)? Writes one u64 per VMA of the target (its start) so user
 * space can compare the count and addresses with /proc/PID/maps. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"

struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
} __attribute__((preserve_access_index));

const volatile __u32 target_tgid = 0;

SEC("iter/task_vma")
int probe_iter_task_vma(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *task = ctx->task;
	struct vm_area_struct *vma = ctx->vma;
	__u64 start;

	if (!task || !vma || task->tgid != target_tgid)
		return 0;
	start = vma->vm_start;
	bpf_seq_write((struct seq_file *)ctx->meta->seq, &start, sizeof(start));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
