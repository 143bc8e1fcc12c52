// SPDX-License-Identifier: GPL-2.0
/* Collection-time snapshots on kernels up to 6.0: the mm->mmap / vma->vm_next list, from process context.
 *
 * The same hooks and state machine as the kfunc collector (include/mapsnap_collector.h, which explains
 * them), with legacy_vma_walker's list walk (include/mapsnap_legacy_walk.h): no kfuncs and no
 * bpf_get_current_task_btf (5.11+), so this object loads on 5.10. On kernels whose sched_process_exit
 * fires after exit_mm() (5.10 among them) the final map comes from the exit_group walk. Paths do not
 * cross mounts: the extra branches per level of a mount-crossing walk would exceed 5.10's verifier budget
 * for a 256-VMA loop. */
#include "mapsnap_legacy_walk.h"

static __always_inline struct task_struct *collector_current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* Legacy paths are dentry names, joined without crossing mounts: nothing to learn of the collecting process. */
static __always_inline void collector_saw_itself(struct task_struct *task)
{
}

/* Walks the current task's VMA list; returns 0, or -EOPNOTSUPP where the list is gone (6.1+). */
static __always_inline int collector_walk(struct task_struct *task, struct mm_struct *mm, __u32 trigger,
					  struct walk_state *st, __u32 program);

#include "mapsnap_collector.h"

static __always_inline int collector_walk(struct task_struct *task, struct mm_struct *mm, __u32 trigger,
					  struct walk_state *st, __u32 program)
{
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = {};
	__u32 tag = walk_tag(st, program);

	st->count = 0;
	st->drops = 0;
	fill_header(&hdr, task, mm);
	hdr.kind = MAPSNAP_REC_HEADER | tag;
	hdr.trigger = trigger;
	trailer.kind = MAPSNAP_REC_TRAILER | tag;
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	/* One invocation, one bound: the collector's hooks run a state machine before the walk, so it does not tail-call
	 * itself to go on as the on-demand walker does; a longer list is flagged truncated. */
	if (legacy_walk_list_from(legacy_first_vma(mm), st, tag))
		trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	__sync_fetch_and_add(&walks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
