/* SPDX-License-Identifier: GPL-2.0 */
/* Can a perf_event sample defer work to the sampled task's context? The task_work kfunc queues a callback that
 * runs when the task returns to user space, with IRQs on, where the kfunc VMA iterator is allowed even on kernels
 * that refuse it in perf_event context. The callback runs the iterator and records its return code: the whole
 * deferred walk, proven end to end.
 *
 * The kfunc's shapes: include/mapsnap_task_work_kfunc.h; the including .bpf.c names the one it calls. */
#ifndef MAPSNAP_PROBE_TASK_WORK_H
#define MAPSNAP_PROBE_TASK_WORK_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"
#include "mapsnap_task_work_kfunc.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

struct work_slot {
	struct bpf_task_work tw;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct work_slot);
} work SEC(".maps");

const volatile __u32 target_tgid = 0;

/* result.code: what scheduling returned; callback_iter_code: the iterator inside the callback. */
struct mapsnap_probe_result result = { .code = 1 };
__s64 callback_iter_code = 1;
__u64 callback_runs = 0;

static int deferred_walk(struct bpf_map *map, void *key, void *value)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bpf_iter_task_vma it;
	int err;

	err = bpf_iter_task_vma_new(&it, task, 0);
	if (!err)
		bpf_iter_task_vma_next(&it);
	bpf_iter_task_vma_destroy(&it);
	callback_iter_code = err;
	__sync_fetch_and_add(&callback_runs, 1);
	return 0;
}

SEC("perf_event")
int probe_task_work(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct work_slot *slot;
	__u32 zero = 0;

	if (task->tgid != target_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&work, &zero);
	if (!slot)
		return 0;
	result.code = MAPSNAP_TASK_WORK_SCHEDULE(task, &slot->tw, &work, deferred_walk MAPSNAP_TASK_WORK_AUX);
	__sync_fetch_and_add(&result.runs, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

#endif
