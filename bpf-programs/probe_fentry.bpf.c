// SPDX-License-Identifier: GPL-2.0
/* Can fentry programs load at all? Some kernels restrict function tracing (EPERM for every target
 * on the 6.18 host). bpf_fentry_test1 exists on every kernel with BPF test_run (5.5+). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("fentry/bpf_fentry_test1")
int probe_fentry(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
