// SPDX-License-Identifier: GPL-2.0
/* Collection-time snapshots on kernels up to 6.0: the mm->mmap / vma->vm_next list, from process context.
 *
 * The same hooks and state machine as the kfunc collector (include/mapsnap_collector.h, which explains
 * them), with legacy_vma_walker's list walk (include/mapsnap_legacy_walk.h): no kfuncs and no
 * bpf_get_current_task_btf (5.11+), so this object loads on 5.10. On kernels whose sched_process_exit
 * fires after exit_mm() (5.10 among them) the final map comes from the exit_group walk. Paths do not
 * cross mounts: the extra branches per level of a mount-crossing walk would exceed 5.10's verifier budget
 * for a 256-VMA loop.
 *
 * 5.10's verifier affords LEGACY_WALK_LIMIT VMAs per program run, and a JVM has thousands. A system-call walk
 * that reaches the bound saves where it is and tail-calls continue_walk (through walk_more, filled by user space
 * before attaching; never attached itself), which goes on by tail-calling itself, up to the kernel's 32 tail
 * calls: 33 times the bound, as the on-demand walker. The tail call skips the rest of the hook, so the last run
 * of the walk also ends it (trailer, walk count, the process's state). The sched_process_exit program is of
 * another type and cannot tail-call into a raw tracepoint's: it walks one bound and flags the rest truncated (it
 * only walks where the kernel fires it before exit_mm(), upstream kernels since 2025, which have no list). */
#include "mapsnap_legacy_walk.h"

static __always_inline struct task_struct *collector_current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* Legacy paths are dentry names, joined without crossing mounts: nothing to learn of the collecting process. */
static __always_inline void collector_saw_itself(struct task_struct *task)
{
}

/* Walks the current task's VMA list; returns 0, or -EOPNOTSUPP where the list is gone (6.1+). */
static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program);

#include "mapsnap_collector.h"

/* A system-call walk on its way through tail calls: per CPU, since a raw tracepoint's program runs on one CPU
 * with preemption off up to 6.0 and a tail call stays in that run. */
struct collect_cursor {
	struct vm_area_struct___legacy *next; /* the VMA to go on from */
	struct task_struct *task;             /* the task being walked: the cursor is for it only */
	struct mm_struct *mm;
	__u64 now;        /* when the walk began, for the process's state */
	__u32 map_count;  /* mm->map_count when it began */
	__u32 tag;        /* the walk id in every record's kind word */
	__u32 hops;       /* tail calls taken in this walk */
	__u32 active;     /* a tail call is on its way with this cursor */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct collect_cursor);
} collect_cursor SEC(".maps");

static __always_inline void end_walk(struct vm_area_struct___legacy *next, struct walk_state *st, __u32 tag)
{
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER | tag };

	if (next)
		trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	__sync_fetch_and_add(&walks, 1);
}

/* Goes on with a system-call walk in continue_walk, on the CPU the walk began on, unless the list ended, max_vmas
 * was reached or the hops are spent; does not return when the tail call is taken. */
static __always_inline void go_on(void *ctx, struct vm_area_struct___legacy *next, struct walk_state *st,
				  struct collect_cursor *cur)
{
	if (next && st->count < max_vmas && cur->hops < LEGACY_WALK_HOPS) {
		cur->next = next;
		cur->hops++;
		cur->active = 1;
		bpf_tail_call(ctx, &walk_more, 0);
		/* Only reached when the tail call failed (walk_more empty, or the kernel's limit). */
		cur->active = 0;
	}
}

static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
					  __u32 trigger, struct walk_state *st, __u32 program)
{
	struct mapsnap_snapshot_header hdr = {};
	struct vm_area_struct___legacy *next;
	__u32 tag = walk_tag(st, program);
	struct collect_cursor *cur;
	__u32 zero = 0;

	st->count = 0;
	st->drops = 0;
	fill_header(&hdr, task, mm);
	hdr.kind = MAPSNAP_REC_HEADER | tag;
	hdr.trigger = trigger;
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	next = legacy_walk_list_from(legacy_first_vma(mm), st, tag);
	/* Program 1 only: the prog array belongs to raw tracepoints, and a constant program number lets the compiler
	 * leave the tail call out of the exit program altogether. */
	if (program == 1 && next) {
		cur = bpf_map_lookup_elem(&collect_cursor, &zero);
		if (cur) {
			cur->task = task;
			cur->mm = mm;
			cur->now = bpf_ktime_get_boot_ns();
			cur->map_count = BPF_CORE_READ(mm, map_count);
			cur->tag = tag;
			cur->hops = 0;
			go_on(ctx, next, st, cur);
		}
	}
	end_walk(next, st, tag);
	return 0;
}

SEC("raw_tp")
int continue_walk(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = collector_current_task();
	struct vm_area_struct___legacy *next;
	struct collect_cursor *cur;
	struct walk_state *st;
	__u32 zero = 0, tgid;

	cur = bpf_map_lookup_elem(&collect_cursor, &zero);
	st = bpf_map_lookup_elem(&enter_scratch, &zero);
	if (!cur || !st || !cur->active || cur->task != task)
		return 0;
	cur->active = 0;
	next = legacy_walk_list_from(cur->next, st, cur->tag);
	go_on(ctx, next, st, cur);
	end_walk(next, st, cur->tag);
	tgid = BPF_CORE_READ(task, tgid);
	/* 5.10 fires sched_process_exit after exit_mm(): it never walks, so no exit walk needs marking here. */
	remember(tgid, cur->mm, cur->map_count, cur->now, 0, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
