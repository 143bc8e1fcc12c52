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

/* VMAs one program invocation walks on 5.10; a walk goes on past it by a tail call through walk_more, which user
 * space fills after the load (the walker: itself; the collector: its continue_walk). */
#define LEGACY_WALK_LIMIT 256

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} walk_more SEC(".maps");

/* The kernel's MAX_TAIL_CALL_CNT on 5.10 (33 from 5.17, counted differently): tail calls one walk may take. */
#define LEGACY_WALK_HOPS 32

/* Emits one record per VMA of the list from `lvma`, at most LEGACY_WALK_LIMIT and never past max_vmas in all
 * (st->count), each of kind MAPSNAP_REC_VMA | tag, counting into st; returns the VMA to go on from, NULL at the
 * end of the list. */
static __always_inline struct vm_area_struct___legacy *legacy_walk_list_from(struct vm_area_struct___legacy *lvma,
									       struct walk_state *st, __u32 tag)
{
	for (int i = 0; i < LEGACY_WALK_LIMIT; i++) {
		struct vm_area_struct *vma = (struct vm_area_struct *)lvma;

		if (!lvma || st->count >= max_vmas)
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
	return lvma;
}

/* The first VMA of mm's list. */
static __always_inline struct vm_area_struct___legacy *legacy_first_vma(struct mm_struct *mm)
{
	return BPF_CORE_READ((struct mm_struct___legacy *)mm, mmap);
}

#endif
