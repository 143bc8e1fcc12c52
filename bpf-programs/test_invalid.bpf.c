// SPDX-License-Identifier: GPL-2.0
/* Deliberately rejected by the verifier (reads past a map value): proves BpfLoadException carries the log. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("raw_tp/sys_enter")
int test_invalid(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);

	if (!v)
		return 0;
	/* value is 8 bytes; offset 64 is out of bounds */
	return *(volatile __u64 *)((char *)v + 64);
}

char LICENSE[] SEC("license") = "GPL";
