// SPDX-License-Identifier: GPL-2.0
/* The smallest loadable program: proves bpf() and libbpf work at all (capability bpf-load). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("raw_tp/sys_enter")
int probe_minimal(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
