// SPDX-License-Identifier: GPL-2.0
/* Does sched_process_exit still see the exiting task's mm? Upstream moved the tracepoint before
 * exit_mm() in 2025 (commit 3e816361e94a) so short-lived processes' VMAs can be recorded; older
 * kernels fire it after the mm is gone. Records, for children of target_tgid, whether mm was set. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"

const volatile __u32 target_tgid = 0;

struct mapsnap_probe_result result = { .code = -1 };
__u64 with_mm = 0;
__u64 without_mm = 0;

SEC("tp_btf/sched_process_exit")
int probe_sched_exit_mm(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];

	if (task->pid != task->tgid || task->real_parent->tgid != target_tgid)
		return 0;
	if (task->mm)
		__sync_fetch_and_add(&with_mm, 1);
	else
		__sync_fetch_and_add(&without_mm, 1);
	result.code = task->mm ? 1 : 0;
	__sync_fetch_and_add(&result.runs, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
