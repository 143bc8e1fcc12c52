// SPDX-License-Identifier: GPL-2.0
/* Fills a ring buffer with synthetic snapshots in mapsnap's record format (a header,
 * vmas_per_snapshot VMA records naming a file, a trailer) so that the Java benchmark
 * (io.mapsnap.benchmarks.RingBufferDecodeBenchmark) times only their consumption and decoding.
 * One snapshot per sys_enter of the target thread while control.remaining > 0; user space sets
 * both fields in one write and makes syscalls until remaining is back to 0. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "mapsnap_records.h"

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define VMA_RECORD_SIZE (MAPSNAP_VMA_FIXED + sizeof(LIBC))

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);
} records SEC(".maps");

struct control {
	__u32 target_tid;
	__u32 remaining;
};

/* A section of its own: user space rewrites it whole, which must not roll back the counters. */
struct control control SEC(".data.control") = {};
const volatile __u32 vmas_per_snapshot = 1000;
__u64 dropped = 0;
__u64 snapshots = 0;

/* The VMA record every snapshot repeats with different addresses; only VMA_RECORD_SIZE is emitted. */
struct mapsnap_vma vma_template = {
	.kind = MAPSNAP_REC_VMA,
	.dev = 8 << 20 | 1,
	.inode = 1234567,
	.path_kind = MAPSNAP_PATH_FULL,
	.path_len = sizeof(LIBC),
	.size = VMA_RECORD_SIZE,
	.path = LIBC,
};

static long emit_vma(__u64 index, void *unused)
{
	vma_template.start = 0x7f0000000000ull + index * 0x2000;
	vma_template.end = vma_template.start + 0x1000;
	vma_template.pgoff = index * 0x1000;
	vma_template.flags = index & 1 ? MAPSNAP_VM_READ : MAPSNAP_VM_READ | MAPSNAP_VM_EXEC;
	if (bpf_ringbuf_output(&records, &vma_template, VMA_RECORD_SIZE, 0))
		__sync_fetch_and_add(&dropped, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int ring_producer(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct mapsnap_snapshot_header hdr = { .kind = MAPSNAP_REC_HEADER };
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };

	if ((__u32)id != control.target_tid || !control.remaining)
		return 0;
	control.remaining--;
	hdr.tgid = id >> 32;
	hdr.pid = (__u32)id;
	hdr.taken_ns = bpf_ktime_get_boot_ns();
	hdr.map_count = vmas_per_snapshot;
	bpf_get_current_comm(hdr.comm, sizeof(hdr.comm));
	if (bpf_ringbuf_output(&records, &hdr, sizeof(hdr), 0))
		__sync_fetch_and_add(&dropped, 1);
	bpf_loop(vmas_per_snapshot, emit_vma, NULL, 0);
	trailer.vma_count = vmas_per_snapshot;
	if (bpf_ringbuf_output(&records, &trailer, sizeof(trailer), 0))
		__sync_fetch_and_add(&dropped, 1);
	__sync_fetch_and_add(&snapshots, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
