// SPDX-License-Identifier: GPL-2.0
/* iter/task: one line "tgid pid comm" per task; the Java side filters with the link's pid (6.1+) and also
 * the target_tgid rodata so that the program is meaningful on kernels without the link filter. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"

const volatile __u32 target_tgid = 0;

SEC("iter/task")
int test_iter_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	__u64 args[2];

	if (!task)
		return 0;
	if (target_tgid && task->tgid != target_tgid)
		return 0;
	args[0] = task->tgid;
	args[1] = task->pid;
	bpf_seq_printf(seq, "%d %d\n", sizeof("%d %d\n"), args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
