// SPDX-License-Identifier: GPL-2.0
/* Does bpf_find_vma work from a perf_event sample (5.17+)? Looks up target_addr in the sampled
 * target's address space and records the helper's return code, how many samples found a VMA, and
 * its bounds. One sample may fail while another thread of the target holds the mmap lock for
 * writing (-EBUSY from the trylock): the verdict rests on the lookups that found it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"

const volatile __u32 target_tgid = 0;
const volatile __u64 target_addr = 0;

struct mapsnap_probe_result result = { .code = 1 };
__u64 found_start = 0;
__u64 found_end = 0;
__u64 found_runs = 0;

static long record_vma(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	found_start = vma->vm_start;
	found_end = vma->vm_end;
	__sync_fetch_and_add(&found_runs, 1);
	return 0;
}

SEC("perf_event")
int probe_find_vma(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (task->tgid != target_tgid)
		return 0;
	result.code = bpf_find_vma(task, target_addr, record_vma, NULL, 0);
	__sync_fetch_and_add(&result.runs, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
