// SPDX-License-Identifier: GPL-2.0
/* On-demand snapshot of one process's VMAs with the open-coded kfunc iterator (Linux 6.7+).
 *
 * An iter/task program sees the target's tasks (user space attaches it with a pid filter); at the
 * group leader it walks the mm with bpf_iter_task_vma_new/next/destroy, which hold the mmap read
 * lock for the whole walk, so the snapshot is consistent. Iterator programs may call bpf_d_path
 * (raw_tp and uprobe programs may not), so paths are exact; kfunc_vma_walker_dentry, built from this
 * file with -DMAPSNAP_DENTRY_PATH, builds them from the dentry chain instead, for kernels that refuse
 * bpf_d_path on the iterator's vm_file (include/mapsnap_iter_path.h). Records go to the ring buffer:
 * a header, the VMAs, a trailer. */
#include "mapsnap_iter_path.h"
/* The iterator runs in the task reading it, as /proc is read, and holds the mmap lock for the whole walk: a file's
 * path serves all its VMAs. */
#define KFUNC_WALK_NAME_FILE(st, file) name_mapped_file(st, file, 1)
#include "mapsnap_kfunc_walk.h"

SEC("iter/task")
int kfunc_vma_walker(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 zero = 0;

	/* One snapshot per process: only its group leader's view. */
	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	mm = task->mm;
	if (!mm)
		return 0; /* exiting, or a kernel thread: no address space to walk */
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	if (!st)
		return 0;
	/* A failed walk's error is in its header: user space reports it. */
	kfunc_walk(task, mm, MAPSNAP_TRIGGER_ON_DEMAND, st, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
