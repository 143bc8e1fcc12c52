/* SPDX-License-Identifier: GPL-2.0 */
/* One task's address space walked with the open-coded kfunc iterator (Linux 6.7+), as a snapshot in the ring
 * buffer: header, one record per VMA, trailer. The iterator holds the mmap read lock for the whole walk, so the
 * snapshot is atomic, and a file's path serves all its VMAs. Used by the on-demand walker (kfunc_vma_walker.bpf.c,
 * an iter/task program) and where IRQs are on and the task is current: the kfunc collector's hooks
 * (kfunc_vma_collector.bpf.c) and the task_work sampler's deferred walk (include/mapsnap_sample_task_work.h).
 *
 * How a walk names a VMA's file is the includer's: one that reads paths as a reader of /proc/PID/maps does (the
 * on-demand walker, include/mapsnap_iter_path.h) defines KFUNC_WALK_NAME_FILE(st, file) before including this file;
 * otherwise paths are built from the dentry chain up to the collecting process's root (include/mapsnap_dentry_path.h,
 * which the includer includes first: bpf_d_path is refused outside iterator programs), as the collector's read of the
 * target's /proc/PID/maps would show them. */
#ifndef MAPSNAP_KFUNC_WALK_H
#define MAPSNAP_KFUNC_WALK_H

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

#ifndef KFUNC_WALK_NAME_FILE
#define KFUNC_WALK_NAME_FILE(st, file) collection_name_file(st, file)
static __always_inline void collection_name_file(struct walk_state *st, struct file *file)
{
	if (file)
		read_file_path(st, file, DENTRY_PATH_COLLECTOR_ROOT, DENTRY_PATH_REUSE_LAST);
	else
		forget_cached_path(st);
}
#endif

/* Set by user space for a collection whose snapshots hold executable mappings only (CollectionScope's
 * executableOnly, the profiler's): the others are skipped before anything is read of them, their paths above all. */
const volatile __u32 executable_only = 0;

/* Walks `task`'s address space `mm` into the ring buffer, every record stamped with `tag` (walk_tag); returns the
 * iterator's error (0 on success), which the header carries too. */
static __always_inline int kfunc_walk(struct task_struct *task, struct mm_struct *mm, __u32 trigger,
				      struct walk_state *st, __u32 tag)
{
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = {};
	struct mapsnap_vma *rec = &st->rec;
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;

	st->count = 0;
	st->drops = 0;
	forget_cached_path(st);
	fill_header(&hdr, task, mm);
	hdr.kind = MAPSNAP_REC_HEADER | tag;
	hdr.trigger = trigger;
	hdr.error = bpf_iter_task_vma_new(&it, task, 0);
	trailer.kind = MAPSNAP_REC_TRAILER | tag;
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	if (hdr.error) {
		bpf_iter_task_vma_destroy(&it);
		emit(&trailer, sizeof(trailer), sizeof(trailer));
		return hdr.error;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = vma->vm_file;

		if (executable_only && !(BPF_CORE_READ(vma, vm_flags) & MAPSNAP_VM_EXEC))
			continue;
		if (st->count >= max_vmas) {
			trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
			break;
		}
		fill_vma(rec, vma, file);
		rec->kind = MAPSNAP_REC_VMA | tag;
		KFUNC_WALK_NAME_FILE(st, file);
		rec->size = vma_size(rec);
		if (emit(rec, rec->size, sizeof(*rec)))
			st->drops++;
		else
			st->count++;
	}
	bpf_iter_task_vma_destroy(&it);
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	return 0;
}

#endif
