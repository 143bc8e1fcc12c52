// SPDX-License-Identifier: GPL-2.0
/* The profiler's sampling program: on each cpu-clock perf event, the interrupted task's user and
 * kernel stacks (frame pointers, bpf_get_stack) and its identity, to the ring buffer.
 *
 * Each sample names its address space (mm) and process (tgid, start_boottime), so user space
 * resolves it against the map a collector walked for that very address space, even when the
 * process is gone by then. Nothing is aggregated here: stacks are copied out whole, so a stack
 * map cannot collide or fill up, and a full ring buffer is counted, never silent.
 *
 * Built once per variant (bpf-programs/build.sh): profile_sampler; profile_sampler_find_vma with
 * MAPSNAP_SAMPLE_FIND_VMA, which also resolves the stack's user frames inside the sample
 * (include/mapsnap_sample_vmas.h): at that moment the process exists by definition; and
 * profile_sampler_build_id with MAPSNAP_SAMPLE_BUILD_ID, whose user frames the kernel normalizes to
 * (build ID, file offset) (BPF_F_USER_BUILD_ID): portable, and true after the binary is deleted or replaced.
 * The last two exclude each other within a sample: each takes the mmap lock by trylock and, with IRQs off,
 * releases it through one per-CPU irq_work, so the second in a sample finds it busy. And with
 * MAPSNAP_SAMPLE_TASK_WORK (profile_sampler_task_work*), a sample of an address space not walked yet queues its
 * whole walk to run in the task itself on its return to user space (include/mapsnap_sample_task_work.h). */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_structs.h"
#include "mapsnap_sample.h"
#ifdef MAPSNAP_SAMPLE_FIND_VMA
#include "mapsnap_sample_vmas.h"
#endif
#ifdef MAPSNAP_SAMPLE_TASK_WORK
#include "mapsnap_sample_task_work.h"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, MAPSNAP_SAMPLE_RINGBUF_BYTES);
} samples SEC(".maps");

/* The processes to sample when filter_tgids is set. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} target_tgids SEC(".maps");

const volatile __u32 filter_tgids = 0;
const volatile __u64 filter_cgroup_id = 0;
const volatile __u32 kernel_stacks = 1;
/* The profiler's own JVM: sampling the sample reader would only measure itself. */
const volatile __u32 self_tgid = 0;
/* bpf_ringbuf_submit flags; 0: wake the reader only once a quarter of the ring waits (submit_flags_for). The
 * benchmarks set BPF_RB_NO_WAKEUP, never waking it, to compare. */
const volatile __u64 submit_flags = 0;
/* Bytes waiting in the ring at which a sample wakes the reader: a quarter of the ring, whose size user space fits
 * to the sample rate (max_entries set before load). */
const volatile __u64 wakeup_bytes = MAPSNAP_SAMPLE_RINGBUF_BYTES / 4;

__u64 lost = 0;      /* samples the ring buffer had no room for */
__u64 idle = 0;      /* samples of the idle task, not recorded */
__u64 sampled = 0;   /* samples written */

/* A wake-up per sample cost it 13.4 µs against 8.42 µs without (docs/benchmarks.md, host) and the reader polls
 * every 50 ms anyway: wake it only when a quarter of the ring waits, so that bursts on many CPUs are drained before
 * the ring fills. */
static __always_inline __u64 submit_flags_for(void)
{
	if (submit_flags)
		return submit_flags;
	return bpf_ringbuf_query(&samples, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct mapsnap_sample *s;

	if (tgid == 0) {
		__sync_fetch_and_add(&idle, 1);
		return 0;
	}
	if (tgid == self_tgid) {
#if defined(MAPSNAP_SAMPLE_FIND_VMA) || defined(MAPSNAP_SAMPLE_TASK_WORK)
		/* Paths end at this process's root, as its read of /proc/PID/maps would show them. */
		remember_own_root(task);
#endif
		return 0;
	}
	if (filter_tgids && !bpf_map_lookup_elem(&target_tgids, &tgid))
		return 0;
	if (filter_cgroup_id && bpf_get_current_cgroup_id() != filter_cgroup_id)
		return 0;

	s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	s->tgid = tgid;
	s->pid = (__u32)id;
	s->cpu = bpf_get_smp_processor_id();
	s->reserved = 0;
	s->time_ns = bpf_ktime_get_boot_ns();
	s->start_boottime = BPF_CORE_READ(task, group_leader, start_boottime);
	s->mm = (__u64)BPF_CORE_READ(task, mm);
	bpf_get_current_comm(s->comm, sizeof(s->comm));
#ifdef MAPSNAP_SAMPLE_BUILD_ID
	/* The kernel reads each frame's build ID from its file's first page if it is resident and mmap_lock is free
	 * (a trylock in this context); every other frame stays an IP, resolved through the maps. */
	s->user_bytes = bpf_get_stack(ctx, s->user, sizeof(s->user), BPF_F_USER_STACK | BPF_F_USER_BUILD_ID);
#else
	s->user_bytes = bpf_get_stack(ctx, s->user, sizeof(s->user), BPF_F_USER_STACK);
#endif
#ifdef MAPSNAP_SAMPLE_FIND_VMA
	resolve_user_frames(s, tgid);
#endif
	s->kernel_bytes = kernel_stacks ? bpf_get_stack(ctx, s->kernel, sizeof(s->kernel), 0) : 0;
	bpf_ringbuf_submit(s, submit_flags_for());
	__sync_fetch_and_add(&sampled, 1);
#ifdef MAPSNAP_SAMPLE_TASK_WORK
	defer_walk(tgid);
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
