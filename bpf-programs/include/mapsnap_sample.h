/* The stack sample record shared by profile_sampler.bpf.c and the Java code that reads it
 * (io.mapsnap.profiler.SampleRecordLayout mirrors this file; change both together). The build-ID sampler's
 * record (MAPSNAP_SAMPLE_BUILD_ID) holds 32-byte user frames: user space tells the two apart by their size. */
#ifndef MAPSNAP_SAMPLE_H
#define MAPSNAP_SAMPLE_H

#include <linux/types.h>
#include <linux/bpf.h>

/* perf's default max stack depth (kernel.perf_event_max_stack). */
#define MAPSNAP_STACK_DEPTH 127
#define MAPSNAP_SAMPLE_RINGBUF_BYTES (4 << 20)

/* A sampled process's address space: the key of the sampler variants' per-address-space state. */
struct sampled_mm_key {
	__u64 start_boottime; /* the process: with tgid, its identity across pid reuse */
	__u64 mm;             /* its address space: an exec makes a new one */
	__u32 tgid;
	__u32 reserved;
};

struct mapsnap_sample {
	__u32 tgid;
	__u32 pid;
	__u32 cpu;
	__s32 user_bytes;       /* bytes of user[] filled, or bpf_get_stack's negative error */
	__s32 kernel_bytes;     /* bytes of kernel[] filled, or the negative error; 0 when not asked */
	__u32 reserved;
	__u64 time_ns;          /* bpf_ktime_get_boot_ns(): the same clock as the map walks */
	__u64 start_boottime;   /* task->start_boottime of the group leader: the process identity */
	__u64 mm;               /* the address space sampled in: matches a walk's header mm */
	char comm[16];
#ifdef MAPSNAP_SAMPLE_BUILD_ID
	/* Innermost first: a frame as (build ID, file offset), or its IP where the kernel had no build ID (status). */
	struct bpf_stack_build_id user[MAPSNAP_STACK_DEPTH];
#else
	__u64 user[MAPSNAP_STACK_DEPTH];   /* innermost first */
#endif
	__u64 kernel[MAPSNAP_STACK_DEPTH]; /* innermost first */
};

#endif
