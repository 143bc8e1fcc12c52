// SPDX-License-Identifier: GPL-2.0
/* Snapshot of one process's VMAs on kernels up to 6.0: walk mm->mmap, then vma->vm_next.
 *
 * The list was replaced by the maple tree in 6.1 (commit 763ecb035029); bpf_core_field_exists
 * tells which layout the running kernel has, so this object loads everywhere and says "no list"
 * (-EOPNOTSUPP in the header) on new kernels instead of failing to relocate. The walk takes no
 * lock, is bounded and flags truncation. Paths are dentry names leaf first (bpf_d_path is not
 * usable here on 5.10), joined by user space.
 *
 * 5.10's verifier walks every iteration of a loop and gives up after 8,192 pending branches
 * ("The sequence of 8193 jumps is too complex"), and has neither bpf_loop nor open-coded
 * iterators: the walk is a constant-bounded loop with as few branches per VMA as possible. */
#include "mapsnap_walk.h"

/* VMAs one walk can report on 5.10; more are flagged as truncation. */
#define LEGACY_WALK_LIMIT 256

SEC("iter/task")
int legacy_vma_walker(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
	struct vm_area_struct___legacy *lvma;
	struct mm_struct *mm;
	struct walk_state *st;
	__u32 zero = 0;

	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	mm = BPF_CORE_READ(task, mm);
	if (!mm)
		return 0;
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	if (!st)
		return 0;
	st->count = 0;
	st->drops = 0;
	fill_header(&hdr, task, mm);

	if (!bpf_core_field_exists(struct mm_struct___legacy, mmap)) {
		hdr.error = -95; /* -EOPNOTSUPP: 6.1+ keeps VMAs in a maple tree */
		emit(&hdr, sizeof(hdr), sizeof(hdr));
		emit(&trailer, sizeof(trailer), sizeof(trailer));
		return 0;
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
		if (file) {
			read_dentry_names(rec, BPF_CORE_READ(file, f_path.dentry));
		}
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
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
