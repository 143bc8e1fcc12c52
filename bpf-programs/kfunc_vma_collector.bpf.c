// SPDX-License-Identifier: GPL-2.0
/* Collection-time snapshots with the open-coded kfunc iterator (Linux 6.7+), from process context.
 *
 * Stable kernels after the 2026 rework refuse bpf_iter_task_vma_new with IRQs disabled (-EBUSY in
 * every perf_event sample), so the walks run where IRQs are on and the task is current: at a
 * process's first system call, after exec, when its map changed, at exit_group, and in
 * sched_process_exit where that still sees mm. The hooks and the state machine are shared with the
 * legacy collector (include/mapsnap_collector.h, which explains them); this file is the walk: the
 * iterator holds the mmap read lock for the whole walk, so a snapshot is atomic, and paths are
 * built from the dentry chain as d_path builds them (include/mapsnap_dentry_path.h: bpf_d_path is refused
 * outside iterator programs). */
#include "mapsnap_dentry_path.h"
#include "mapsnap_kfunc_walk.h"

/* The iterator kfunc wants a trusted task: the BTF pointer, not bpf_get_current_task()'s scalar. */
static __always_inline struct task_struct *collector_current_task(void)
{
	return bpf_get_current_task_btf();
}

/* The collecting process's fs root: the dentry paths stop there (include/mapsnap_dentry_path.h). */
static __always_inline void collector_saw_itself(struct task_struct *task)
{
	remember_own_root(task);
}

/* Walks the current task's address space; returns the iterator's error (0 on success). */
static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program);

#include "mapsnap_collector.h"

static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program)
{
	int err = kfunc_walk(task, mm, trigger, st, walk_tag(st, program));

	__sync_fetch_and_add(err ? &walks_failed : &walks, 1);
	return err;
}

char LICENSE[] SEC("license") = "GPL";
