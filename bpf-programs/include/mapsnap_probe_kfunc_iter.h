/* The body shared by the kfunc iterator probes: the same call, made from different contexts
 * (perf_event sample, raw_tp/sys_enter); the context is what the probe measures. */
#ifndef MAPSNAP_PROBE_KFUNC_ITER_H
#define MAPSNAP_PROBE_KFUNC_ITER_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

const volatile __u32 target_tgid = 0;
struct mapsnap_probe_result result = { .code = 1 };

/* Starts a walk of the current task's VMAs, takes one step, and records what _new returned. */
static __always_inline int probe_kfunc_iter_here(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bpf_iter_task_vma it;
	int err;

	if (task->tgid != target_tgid)
		return 0;
	err = bpf_iter_task_vma_new(&it, task, 0);
	if (!err)
		bpf_iter_task_vma_next(&it);
	bpf_iter_task_vma_destroy(&it);
	result.code = err;
	__sync_fetch_and_add(&result.runs, 1);
	return 0;
}

#endif
