// SPDX-License-Identifier: GPL-2.0
/* Can BPF_MAP_TYPE_RINGBUF maps be created and written (5.8+)? Loading creates the map. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("raw_tp/sys_enter")
int probe_ringbuf(void *ctx)
{
	__u64 one = 1;

	bpf_ringbuf_output(&events, &one, sizeof(one), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
