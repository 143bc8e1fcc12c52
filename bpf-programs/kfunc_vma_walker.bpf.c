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

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

SEC("iter/task")
int kfunc_vma_walker(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct walk_state *st;
	struct mapsnap_vma *rec;
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
	rec = &st->rec;
	st->count = 0;
	st->drops = 0;
	forget_cached_path(st);

	fill_header(&hdr, task, mm);
	hdr.error = bpf_iter_task_vma_new(&it, task, 0);
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	if (hdr.error) {
		bpf_iter_task_vma_destroy(&it);
		emit(&trailer, sizeof(trailer), sizeof(trailer));
		return 0;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = vma->vm_file;

		if (st->count >= max_vmas) {
			trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
			break;
		}
		fill_vma(rec, vma, file);
		/* The iterator holds the mmap lock for the whole walk: a file's path serves all its VMAs. */
		name_mapped_file(st, file, 1);
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

char LICENSE[] SEC("license") = "GPL";
