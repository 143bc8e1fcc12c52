/* The stack sample record shared by profile_sampler.bpf.c and the Java code that reads it
 * (io.mapsnap.profiler.SampleRecordLayout mirrors this file; change both together). */
#ifndef MAPSNAP_SAMPLE_H
#define MAPSNAP_SAMPLE_H

#include <linux/types.h>

/* perf's default max stack depth (kernel.perf_event_max_stack). */
#define MAPSNAP_STACK_DEPTH 127
#define MAPSNAP_SAMPLE_RINGBUF_BYTES (4 << 20)

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
	__u64 user[MAPSNAP_STACK_DEPTH];   /* innermost first */
	__u64 kernel[MAPSNAP_STACK_DEPTH]; /* innermost first */
};

#endif
