// SPDX-License-Identifier: GPL-2.0
/* Does bpf_iter_task_vma_new succeed in a perf_event sample?
 * Upstream 6.7 allows it; stable kernels after the 2026 rework return -EBUSY when IRQs are off
 * (always, in perf_event/NMI context). Only the runtime answer is trustworthy. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

const volatile __u32 target_tgid = 0;
struct mapsnap_probe_result result = { .code = 1 };

SEC("perf_event")
int probe_kfunc_iter_perf_event(void *ctx)
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

char LICENSE[] SEC("license") = "GPL";
