// SPDX-License-Identifier: GPL-2.0
/* Emits records_per_trigger ring buffer records with a running sequence number on each sys_enter of the
 * target thread while armed; failed outputs count in dropped, discarded reservations in discarded. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct test_ringbuf_record {
	__u64 seq;
	__u32 tid;
	__u32 len;
	__u8 payload[48];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

const volatile __u32 target_pid = 0;   /* a thread id */
const volatile __u32 records_per_trigger = 1;
const volatile __u32 discard_every = 0; /* if set, records whose seq % discard_every == 0 are reserved then discarded */
/* Written by user space after load. A section of its own: user space rewrites a whole section value at once,
 * which would roll back next_seq/dropped if they shared it. */
__u64 armed SEC(".data.control") = 0;
__u64 next_seq = 0;
__u64 dropped = 0;
__u64 discarded = 0;

SEC("raw_tp/sys_enter")
int test_ringbuf(void *ctx)
{
	__u32 pid = (__u32)bpf_get_current_pid_tgid();
	struct test_ringbuf_record rec = {};

	if (pid != target_pid || !armed)
		return 0;
	for (__u32 i = 0; i < 1024; i++) {
		if (i >= records_per_trigger)
			break;
		rec.seq = __sync_fetch_and_add(&next_seq, 1);
		rec.tid = pid;
		rec.len = sizeof(rec);
		if (discard_every && rec.seq % discard_every == 0) {
			struct test_ringbuf_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);

			if (!r) {
				__sync_fetch_and_add(&dropped, 1);
				continue;
			}
			r->seq = rec.seq;
			bpf_ringbuf_discard(r, 0);
			__sync_fetch_and_add(&discarded, 1);
			continue;
		}
		if (bpf_ringbuf_output(&events, &rec, sizeof(rec), 0))
			__sync_fetch_and_add(&dropped, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
