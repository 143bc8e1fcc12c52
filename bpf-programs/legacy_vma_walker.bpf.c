// SPDX-License-Identifier: GPL-2.0
/* Snapshot of one process's VMAs on kernels up to 6.0: walk mm->mmap, then vma->vm_next
 * (include/mapsnap_legacy_walk.h). On kernels without the list (6.1+) the CO-RE relocation of
 * mm->mmap has no target, libbpf poisons the read and the kernel refuses the object: the refusal,
 * in libbpf's words, is why the legacy source cannot run there. */
#include "mapsnap_legacy_walk.h"

SEC("iter/task")
int legacy_vma_walker(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
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

	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	if (legacy_walk_list(mm, st, 0))
		trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
