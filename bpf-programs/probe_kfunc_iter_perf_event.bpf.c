// SPDX-License-Identifier: GPL-2.0
/* Does bpf_iter_task_vma_new succeed in a perf_event sample?
 * Upstream 6.7 allows it; stable kernels after the 2026 rework return -EBUSY when IRQs are off
 * (always, in perf_event/NMI context). Only the runtime answer is trustworthy. */
#include "mapsnap_probe_kfunc_iter.h"

SEC("perf_event")
int probe_kfunc_iter_perf_event(void *ctx)
{
	return probe_kfunc_iter_here();
}

char LICENSE[] SEC("license") = "GPL";
