// SPDX-License-Identifier: GPL-2.0
/* Maps for the Java map API tests, plus a program that counts sys_enter of one process (run stats). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} percpu SEC(".maps");

const volatile __u32 target_tgid = 0;
const volatile __u8 small_knob = 0;
__u64 hits = 0;
__u64 seen_knob = 0;

SEC("raw_tp/sys_enter")
int test_maps_count(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&hits, 1);
	seen_knob = small_knob;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
