// SPDX-License-Identifier: GPL-2.0
/* The floor for an in-kernel VMA walk: an iter/task program that runs the open-coded kfunc
 * iterator (6.7+) over the target's VMAs and only counts them. No record is built, no name is
 * resolved, nothing is output: its run time (BPF_ENABLE_STATS) is what the iterator itself
 * costs, and mapsnap's kfunc walker (bpf-programs/kfunc_vma_walker.bpf.c) is compared with it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "vma_floor.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

struct vma_floor_state state = {};

SEC("iter/task")
int vma_floor(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;

	/* The same filter as mapsnap's walker: the group leader of the target only. */
	if (!task || task->pid != task->tgid || task->tgid != state.target_tgid)
		return 0;
	state.vma_count = 0;
	state.error = bpf_iter_task_vma_new(&it, task, 0);
	/* The counter lives in the map value, not a register: see DESIGN.md on loop verification. */
	while ((vma = bpf_iter_task_vma_next(&it)))
		state.vma_count++;
	bpf_iter_task_vma_destroy(&it);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
