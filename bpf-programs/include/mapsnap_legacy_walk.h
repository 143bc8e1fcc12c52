/* SPDX-License-Identifier: GPL-2.0 */
/* The mm->mmap / vma->vm_next list walk (kernels up to 6.0), shared by the on-demand walker
 * (legacy_vma_walker) and the collector (legacy_vma_collector).
 *
 * The list was replaced by the maple tree in 6.1 (commit 763ecb035029): there the CO-RE read of
 * mm->mmap below has no target and the kernel refuses the object, which is how the legacy
 * components learn they cannot run (deliberately no bpf_core_field_exists guard: an object that
 * loads but cannot walk would pass for a working one). The walk takes no lock: a process
 * that maps or unmaps on another thread while it is walked may be seen half before, half after,
 * or cut short (user space rejects walks that never reach the stack). Paths are dentry names leaf
 * first, joined by user space, without crossing mounts (bpf_d_path is not usable here on 5.10).
 *
 * 5.10's verifier walks every iteration of a loop and gives up after 8,192 pending branches
 * ("The sequence of 8193 jumps is too complex"), and has neither bpf_loop nor open-coded
 * iterators: the walk is a constant-bounded loop with as few branches per VMA as possible. */
#ifndef MAPSNAP_LEGACY_WALK_H
#define MAPSNAP_LEGACY_WALK_H

#include "mapsnap_walk.h"

/* VMAs one walk can report on 5.10; more are flagged as truncation. */
#define LEGACY_WALK_LIMIT 256

/* Emits one record per VMA of mm's list, each of kind MAPSNAP_REC_VMA | tag, counting into st;
 * returns 1 when the list went on past the bound (the walk is truncated), else 0. */
static __always_inline int legacy_walk_list(struct mm_struct *mm, struct walk_state *st, __u32 tag)
{
	struct vm_area_struct___legacy *lvma = BPF_CORE_READ((struct mm_struct___legacy *)mm, mmap);

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
	return lvma != NULL;
}

#endif
