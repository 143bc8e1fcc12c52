/* SPDX-License-Identifier: GPL-2.0 */
/* The task_work sampler (profile_sampler_task_work*, kernels with the bpf_task_work kfuncs): a sample that lands
 * in an address space not walked yet, or whose VMA count moved since its last walk, queues the whole kfunc walk
 * (include/mapsnap_kfunc_walk.h) to run in that very task when it next returns to user space, where IRQs are on
 * and the iterator is allowed (a perf_event sample has them off: stable kernels refuse the iterator there). The
 * return from the sample's own interrupt is such a return, so a compute loop that makes no system call is walked
 * before it goes on, and a process that exits at once still is, by the sample that caught it running.
 *
 * MAPSNAP_SAMPLE_TASK_WORK names the kfunc's shape (include/mapsnap_task_work_kfunc.h): 1 for 7.x's
 * bpf_task_work_schedule_resume with the program argument implicit, 2 for the five-argument one it was first.
 * The _impl name of some 6.18 builds wants a sleepable program, which a perf_event program never is. */
#ifndef MAPSNAP_SAMPLE_TASK_WORK_H
#define MAPSNAP_SAMPLE_TASK_WORK_H

#include "mapsnap_dentry_path.h"
#include "mapsnap_kfunc_walk.h"

#define MAPSNAP_TASK_WORK_SCHEDULE bpf_task_work_schedule_resume
#if MAPSNAP_SAMPLE_TASK_WORK == 1
#define MAPSNAP_TASK_WORK_IMPLICIT_AUX
#endif
#include "mapsnap_task_work_kfunc.h"

/* Program number in the walk tag: the deferred walk is this object's only writer of records. */
#define MAPSNAP_DEFERRED_PROGRAM 3

enum {
	DEFERRED_IDLE = 0,   /* no walk queued */
	DEFERRED_QUEUED = 1, /* a walk is queued to run in the task */
};

struct deferred_walk {
	struct bpf_task_work tw;
	__u32 state;
	__u32 map_count; /* the VMA count the last walk saw; 0 before the first */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct sampled_mm_key);
	__type(value, struct deferred_walk);
} deferred_walks SEC(".maps");

/* Whether this CPU's walk scratch is in use: a deferred walk runs preemptible, so another task's may start on the
 * same CPU before it ends; that one is not walked now, and a later sample queues it again. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} walk_scratch_busy SEC(".maps");

__u64 walks_queued = 0;        /* walks queued by samples */
__u64 walks_queue_failed = 0;  /* the kfunc refused to queue one (the task exiting, or its work already queued) */
__u64 walks = 0;               /* deferred walks done */
__u64 walks_failed = 0;        /* deferred walks whose iterator failed (the mm gone) */
__u64 walks_stale = 0;         /* deferred walks that found another address space (exec) or none: not walked */
__u64 walks_scratch_busy = 0;  /* deferred walks put off: the CPU's walk scratch was in use */

/* In the task, on its return to user space: walks its address space if it is still the one the sample saw. */
static int deferred_walk_run(struct bpf_map *map, void *key, void *value)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct sampled_mm_key *k = key;
	struct deferred_walk *w = value;
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	struct walk_state *st;
	__u32 zero = 0, *busy;
	int err;

	if (!mm || (__u64)mm != k->mm) {
		__sync_fetch_and_add(&walks_stale, 1);
		w->state = DEFERRED_IDLE;
		return 0;
	}
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	busy = bpf_map_lookup_elem(&walk_scratch_busy, &zero);
	if (!st || !busy)
		return 0;
	if (*busy) {
		__sync_fetch_and_add(&walks_scratch_busy, 1);
		w->state = DEFERRED_IDLE;
		return 0;
	}
	*busy = 1;
	err = kfunc_walk(task, mm, MAPSNAP_TRIGGER_DEFERRED, st, walk_tag(st, MAPSNAP_DEFERRED_PROGRAM));
	*busy = 0;
	__sync_fetch_and_add(err ? &walks_failed : &walks, 1);
	w->map_count = BPF_CORE_READ(mm, map_count);
	w->state = DEFERRED_IDLE;
	return 0;
}

/* In the sample: queues a walk of the sampled address space unless one is queued or its map is unchanged since
 * the last. Two CPUs sampling two threads at once may both queue one: the second finds the work pending. */
static __always_inline void defer_walk(__u32 tgid)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	struct sampled_mm_key key = {};
	struct deferred_walk fresh = {}, *w;
	int err;

	if (!mm)
		return;
	key.tgid = tgid;
	key.mm = (__u64)mm;
	key.start_boottime = BPF_CORE_READ(task, group_leader, start_boottime);
	w = bpf_map_lookup_elem(&deferred_walks, &key);
	if (!w) {
		bpf_map_update_elem(&deferred_walks, &key, &fresh, BPF_NOEXIST);
		w = bpf_map_lookup_elem(&deferred_walks, &key);
		if (!w)
			return;
	}
	if (w->state != DEFERRED_IDLE || w->map_count == BPF_CORE_READ(mm, map_count))
		return;
	w->state = DEFERRED_QUEUED;
	err = MAPSNAP_TASK_WORK_SCHEDULE(task, &w->tw, &deferred_walks, deferred_walk_run MAPSNAP_TASK_WORK_AUX);
	if (err) {
		w->state = DEFERRED_IDLE;
		__sync_fetch_and_add(&walks_queue_failed, 1);
		return;
	}
	__sync_fetch_and_add(&walks_queued, 1);
}

#endif
