// SPDX-License-Identifier: GPL-2.0
/* Collection-time snapshots on kernels up to 6.0: the mm->mmap / vma->vm_next list, from process context.
 *
 * The same hooks and state machine as the kfunc collector (include/mapsnap_collector.h, which explains
 * them), with legacy_vma_walker's walk: no kfuncs and no bpf_get_current_task_btf (5.11+), so this
 * object loads on 5.10. On kernels whose sched_process_exit fires after exit_mm() (5.10 among them)
 * the final map comes from the exit_group walk.
 *
 * The list walk takes no lock: a process that maps or unmaps on another thread while it is walked may
 * be seen half before, half after. It is bounded by LEGACY_WALK_LIMIT and flags truncation. Paths are
 * dentry names leaf first, joined by user space, without crossing mounts: 5.10's verifier has neither
 * bpf_loop nor open-coded iterators, walks every iteration of the bounded loop, and the extra branches
 * per level of read_path_names would exceed its budget for a 256-VMA loop. */
#include "mapsnap_walk.h"

/* VMAs one walk can report on 5.10; more are flagged as truncation. */
#define LEGACY_WALK_LIMIT 256

static __always_inline struct task_struct *collector_current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
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
	struct vm_area_struct___legacy *lvma;
	__u32 tag = walk_tag(st, program);

	st->count = 0;
	st->drops = 0;
	fill_header(&hdr, task, mm);
	hdr.kind = MAPSNAP_REC_HEADER | tag;
	hdr.trigger = trigger;
	trailer.kind = MAPSNAP_REC_TRAILER | tag;
	if (!bpf_core_field_exists(struct mm_struct___legacy, mmap)) {
		/* 6.1+ keeps VMAs in a maple tree: this object loads there but cannot walk. */
		hdr.error = -95; /* -EOPNOTSUPP */
		emit(&hdr, sizeof(hdr), sizeof(hdr));
		emit(&trailer, sizeof(trailer), sizeof(trailer));
		__sync_fetch_and_add(&walks_failed, 1);
		return hdr.error;
	}
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	lvma = BPF_CORE_READ((struct mm_struct___legacy *)mm, mmap);
	for (int i = 0; i < LEGACY_WALK_LIMIT && i < max_vmas; i++) {
		struct vm_area_struct *vma = (struct vm_area_struct *)lvma;

		if (!lvma)
			break;
		struct file *file = BPF_CORE_READ(vma, vm_file);
		struct mapsnap_vma *rec = &st->rec;

		fill_vma(rec, vma, file);
		rec->kind = MAPSNAP_REC_VMA | tag;
		if (file)
			read_dentry_names(rec, BPF_CORE_READ(file, f_path.dentry));
		rec->size = vma_size(rec);
		if (emit(rec, rec->size, sizeof(*rec)))
			st->drops++;
		else
			st->count++;
		lvma = BPF_CORE_READ(lvma, vm_next);
	}
	trailer.vma_count = st->count;
	if (lvma)
		trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	__sync_fetch_and_add(&walks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
