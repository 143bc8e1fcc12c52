// SPDX-License-Identifier: GPL-2.0
/* Does bpf_get_stack with BPF_F_USER_BUILD_ID return build IDs? It falls back to raw IPs
 * (status BPF_STACK_BUILD_ID_IP) when the page holding the ELF note is not resident, so we count
 * how many frames came back with a valid build ID. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel_structs.h"
#include "mapsnap_probe.h"

#define MAX_FRAMES 16

const volatile __u32 target_tgid = 0;

struct mapsnap_probe_result result = { .code = 1 };
__u64 valid_frames = 0;
__u64 ip_frames = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_stack_build_id[MAX_FRAMES]);
} frames SEC(".maps");

SEC("perf_event")
int probe_build_id_stack(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bpf_stack_build_id *buf;
	__u32 zero = 0;
	long n;
	int i;

	if (task->tgid != target_tgid)
		return 0;
	buf = bpf_map_lookup_elem(&frames, &zero);
	if (!buf)
		return 0;
	n = bpf_get_stack(ctx, buf, sizeof(struct bpf_stack_build_id) * MAX_FRAMES,
			  BPF_F_USER_STACK | BPF_F_USER_BUILD_ID);
	result.code = n;
	__sync_fetch_and_add(&result.runs, 1);
	if (n <= 0)
		return 0;
	for (i = 0; i < MAX_FRAMES; i++) {
		if (i * sizeof(struct bpf_stack_build_id) >= n)
			break;
		if (buf[i].status == BPF_STACK_BUILD_ID_VALID)
			__sync_fetch_and_add(&valid_frames, 1);
		else if (buf[i].status == BPF_STACK_BUILD_ID_IP)
			__sync_fetch_and_add(&ip_frames, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
