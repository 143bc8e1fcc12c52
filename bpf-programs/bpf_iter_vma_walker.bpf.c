// SPDX-License-Identifier: GPL-2.0
/* On-demand snapshot of one process's VMAs with the task_vma bpf_iter (Linux 5.12+).
 *
 * The kernel drives this walk, not the program: it calls the program once per VMA of every task it
 * visits (user space attaches it with a pid filter where the kernel has one, 6.1+), then once more
 * with vma == NULL when the iteration is over. The records are the same as the other walkers'
 * (a header, the VMAs, a trailer), so the state that spans calls lives in globals: which iterator
 * session has a header open, and the count and flags its trailer will carry.
 *
 * Not atomic: the iterator takes the mmap read lock per batch and drops it whenever a writer waits
 * (kernel/bpf/task_iter.c, mmap_lock_is_contended), then resumes at the address where it stopped.
 * A process that maps while it is walked may be seen half before and half after a change, unlike
 * the kfunc walker, which holds the lock for the whole walk. Iterator programs may call bpf_d_path,
 * so paths are exact; bpf_iter_vma_walker_dentry, built from this file with -DMAPSNAP_DENTRY_PATH,
 * builds them from the dentry chain instead, for kernels that refuse bpf_d_path on ctx->vma->vm_file
 * (include/mapsnap_iter_path.h). */
#include "mapsnap_iter_path.h"

/* The snapshot a header has been emitted for and whose trailer is still due. Globals, not the
 * per-CPU scratch: consecutive calls of one iterator session may run on different CPUs. */
struct open_snapshot {
	__u64 session_id; /* meta->session_id (counted from 1); 0 when no header is open */
	__u64 end;        /* end of the last VMA emitted: where the walk resumed after a lock drop */
	__u32 tgid;
	__u32 count;
	__u32 flags;
	__u32 reserved;
};

struct open_snapshot open_snapshot = {};

static __always_inline void close_snapshot(void)
{
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };

	trailer.vma_count = open_snapshot.count;
	trailer.flags = open_snapshot.flags;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	/* The iterator may call the final step again on a later read(): emit one trailer only. */
	open_snapshot.session_id = 0;
}

static __always_inline void open_new_snapshot(struct task_struct *task, __u64 session_id)
{
	struct mapsnap_snapshot_header hdr = {};
	struct mm_struct *mm = task->mm;

	fill_header(&hdr, task, mm);
	open_snapshot.session_id = session_id;
	open_snapshot.tgid = hdr.tgid;
	open_snapshot.end = 0;
	open_snapshot.count = 0;
	open_snapshot.flags = 0;
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		open_snapshot.flags |= MAPSNAP_SNAPSHOT_DROPPED;
}

SEC("iter/task_vma")
int bpf_iter_vma_walker(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *task = ctx->task;
	struct vm_area_struct *vma = ctx->vma;
	__u64 session_id = ctx->meta->session_id;
	struct mapsnap_vma *rec;
	struct walk_state *st;
	struct file *file;
	__u32 zero = 0;
	__u64 start;

	if (!vma) {
		/* The final call (task and vma NULL): close what this session opened, if anything. */
		if (open_snapshot.session_id && open_snapshot.session_id == session_id)
			close_snapshot();
		return 0;
	}
	/* One snapshot per process: only its group leader's view. */
	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	if (open_snapshot.session_id != session_id) {
		open_new_snapshot(task, session_id);
	} else if (open_snapshot.tgid != task->tgid) {
		/* Unfiltered (target_tgid 0): the previous process is complete when the next one starts. */
		close_snapshot();
		open_new_snapshot(task, session_id);
	}
	if (open_snapshot.count >= max_vmas) {
		open_snapshot.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
		return 0;
	}
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	if (!st)
		return 0;
	rec = &st->rec;
	file = vma->vm_file;
	fill_vma(rec, vma, file);
	/* After a lock drop the iterator resumes with the VMA covering its last end, which a concurrent
	 * merge or mremap may have grown downwards: keep only the part not reported yet, so the
	 * snapshot stays sorted and disjoint. */
	start = rec->start;
	if (start < open_snapshot.end) {
		if (rec->end <= open_snapshot.end)
			return 0;
		if (file)
			rec->pgoff += open_snapshot.end - start;
		rec->start = open_snapshot.end;
	}
	/* Every VMA builds its path: the iterator may have dropped the mmap lock since the last one. */
	name_mapped_file(st, file, 0);
	rec->size = vma_size(rec);
	if (emit(rec, rec->size, sizeof(*rec))) {
		open_snapshot.flags |= MAPSNAP_SNAPSHOT_DROPPED;
		return 0;
	}
	open_snapshot.count++;
	open_snapshot.end = rec->end;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
