// SPDX-License-Identifier: GPL-2.0
/* Does bpf_iter_task_vma_new succeed in process context (raw_tp/sys_enter, IRQs on)? */
#include "mapsnap_probe_kfunc_iter.h"

SEC("raw_tp/sys_enter")
int probe_kfunc_iter_raw_tp(void *ctx)
{
	return probe_kfunc_iter_here();
}

char LICENSE[] SEC("license") = "GPL";
