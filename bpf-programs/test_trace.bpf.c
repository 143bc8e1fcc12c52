// SPDX-License-Identifier: GPL-2.0
/* BTF-typed tracing programs for BpfProgram.attachTrace: tp_btf loads on the 6.18 host, fentry is refused
 * there (this kernel restricts function tracing: EPERM for every target, see DESIGN.md). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_tgid = 0;
__u64 tp_btf_hits = 0;
__u64 fentry_hits = 0;

SEC("tp_btf/sys_enter")
int test_trace_tp_btf(__u64 *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("fentry/do_nanosleep")
int test_trace_fentry(__u64 *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
