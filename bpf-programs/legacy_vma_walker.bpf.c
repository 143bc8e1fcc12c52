// SPDX-License-Identifier: GPL-2.0
/* Snapshot of one process's VMAs on kernels up to 6.0: walk mm->mmap, then vma->vm_next
 * (include/mapsnap_legacy_walk.h). On kernels without the list (6.1+) the CO-RE relocation of
 * mm->mmap has no target, libbpf poisons the read and the kernel refuses the object: the refusal,
 * in libbpf's words, is why the legacy source cannot run there.
 *
 * 5.10's verifier affords LEGACY_WALK_LIMIT VMAs per program, and a JVM or a browser has thousands: at
 * the bound the program saves where it is and tail-calls itself (walk_more holds this very program, put
 * there by user space after the load), up to the kernel's 32 tail calls, so one walk reaches 33 times
 * the bound (8,448 VMAs). Past that, or where the tail call fails, the walk is flagged truncated. */
#include "mapsnap_legacy_walk.h"

/* Where a walk goes on after a tail call: per CPU, since an iterator's program runs on one CPU at a time and a
 * tail call stays on it. */
struct legacy_cursor {
	struct vm_area_struct___legacy *next; /* the VMA to go on from */
	struct task_struct *task;             /* the task being walked: the cursor is for it only */
	__u32 hops;                           /* tail calls taken in this walk */
	__u32 active;                         /* a tail call is on its way with this cursor */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct legacy_cursor);
} cursor SEC(".maps");

SEC("iter/task")
int legacy_vma_walker(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
	struct vm_area_struct___legacy *next;
	struct legacy_cursor *cur;
	struct mm_struct *mm;
	struct walk_state *st;
	__u32 zero = 0;

	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	mm = BPF_CORE_READ(task, mm);
	if (!mm)
		return 0;
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	cur = bpf_map_lookup_elem(&cursor, &zero);
	if (!st || !cur)
		return 0;
	if (cur->active && cur->task == task) {
		next = cur->next;
	} else {
		st->count = 0;
		st->drops = 0;
		cur->hops = 0;
		fill_header(&hdr, task, mm);
		if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
			st->drops++;
		next = legacy_first_vma(mm);
	}
	cur->active = 0;
	next = legacy_walk_list_from(next, st, 0);
	if (next && st->count < max_vmas && cur->hops < LEGACY_WALK_HOPS) {
		cur->next = next;
		cur->task = task;
		cur->hops++;
		cur->active = 1;
		bpf_tail_call(ctx, &walk_more, 0);
		/* Only reached when the tail call failed (no program in walk_more, or the kernel's limit). */
		cur->active = 0;
	}
	if (next)
		trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
