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

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

/* The iterator kfunc wants a trusted task: the BTF pointer, not bpf_get_current_task()'s scalar. */
static __always_inline struct task_struct *collector_current_task(void)
{
	return bpf_get_current_task_btf();
}

/* Records the collecting process's fs root once: the dentry paths stop there (include/mapsnap_dentry_path.h). */
static __always_inline void collector_saw_itself(struct task_struct *task)
{
	if (collector_root_dentry)
		return;
	collector_root_mnt = (__u64)BPF_CORE_READ(task, fs, root.mnt);
	collector_root_dentry = (__u64)BPF_CORE_READ(task, fs, root.dentry);
}

/* Walks the current task's address space; returns the iterator's error (0 on success). */
static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program);

#include "mapsnap_collector.h"

static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program)
{
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = {};
	struct mapsnap_vma *rec = &st->rec;
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	__u32 tag = walk_tag(st, program);

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
		__sync_fetch_and_add(&walks_failed, 1);
		return hdr.error;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = vma->vm_file;

		if (st->count >= max_vmas) {
			trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
			break;
		}
		fill_vma(rec, vma, file);
		rec->kind = MAPSNAP_REC_VMA | tag;
		/* Up to the collecting process's root, not the walked task's: the paths are for the collector, as
		 * its read of the target's /proc/PID/maps would show them (a chrooted target's too).
		 * The mmap lock is held for the whole walk: a file's path serves all its VMAs. */
		if (file)
			read_file_path(st, file, DENTRY_PATH_COLLECTOR_ROOT, DENTRY_PATH_REUSE_LAST);
		else
			forget_cached_path(st);
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
	__sync_fetch_and_add(&walks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
