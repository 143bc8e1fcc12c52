/* SPDX-License-Identifier: GPL-2.0 */
/* The find-vma sampler (profile_sampler_find_vma, 5.17+): user frames of a sample are resolved with bpf_find_vma
 * at the moment of the sample, while the process certainly exists. A mapping a stack lands in is written once per
 * process and address space as a VMA record, the way the walkers write them (the path built from the dentry
 * chain: bpf_d_path is refused in perf_event programs), inside a snapshot of its own: header (trigger IN_SAMPLE,
 * taken at the sample's time), the VMA, trailer. User space adds those partial snapshots to the process's maps,
 * so a process that exits before any collector walks it, or a compute loop that makes no system call, still has
 * the mappings its samples hit.
 *
 * One lookup per sample, at most: in a perf_event sample IRQs are off, and bpf_find_vma then leaves the mmap
 * lock's release to a per-CPU irq_work that runs after the program; a second lookup in the same sample finds it
 * queued and fails with -EBUSY (measured: exactly every second lookup). So each sample looks up the innermost
 * frame that lies in no mapping already known for its process, and the next samples find the rest. Frames still
 * outside every known mapping fall back to the collector's snapshots, counted by user space. A lookup may also
 * fail with -EBUSY when another thread holds the mmap lock for writing: counted, retried by a later sample. */
#ifndef MAPSNAP_SAMPLE_VMAS_H
#define MAPSNAP_SAMPLE_VMAS_H

#include <asm-generic/errno-base.h>
#include "mapsnap_dentry_path.h"

/* Mappings remembered per process: a ring, so a process with more loses its oldest and finds them again. */
#define MAPSNAP_KNOWN_MAPPINGS 32
#define MAPSNAP_KNOWN_MISSING 8
/* No user mapping lies below mmap_min_addr's usual 64 KiB or above the 57-bit user address space. */
#define MAPSNAP_USER_ADDR_MIN 0x10000ULL
#define MAPSNAP_USER_ADDR_END (1ULL << 56)
/* Program number in the walk tag (mapsnap_collector.h uses 1 and 2 for its hooks). */
#define MAPSNAP_SAMPLE_PROGRAM 3

/* The mappings already written for it. Two CPUs sampling two of its threads may race on a slot: the worst outcome
 * is a mapping looked up and written twice, or a frame left to the collector's snapshot. */
struct known_mappings {
	__u64 start[MAPSNAP_KNOWN_MAPPINGS];
	__u64 end[MAPSNAP_KNOWN_MAPPINGS];
	/* Addresses found in no mapping (a frame-pointer walk through code built without them reads garbage): not
	 * looked up again, or every later sample would spend its one lookup on the same garbage. */
	__u64 missing[MAPSNAP_KNOWN_MISSING];
	__u32 next;         /* the next mapping slot to write, modulo MAPSNAP_KNOWN_MAPPINGS */
	__u32 next_missing; /* the next missing slot, modulo MAPSNAP_KNOWN_MISSING */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct sampled_mm_key);
	__type(value, struct known_mappings);
} known_mappings SEC(".maps");

/* All zeroes, never written: the first value of a process's known_mappings (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct known_mappings);
} no_mappings SEC(".maps");

/* One sample's resolution, in memory: its frames (copied from the sample) and the snapshot being written. */
struct sample_resolution {
	__u64 user[MAPSNAP_STACK_DEPTH];
	struct mapsnap_snapshot_header hdr;
	struct mapsnap_snapshot_trailer trailer;
	__u64 lookup;   /* the address to look up, if found (frames above the leaf: the call, one byte earlier) */
	__u32 found;    /* an uncovered frame was found */
	__u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample_resolution);
} resolution_scratch SEC(".maps");

__u64 vma_lookups = 0;         /* bpf_find_vma calls: at most one per sample */
__u64 vma_lookups_busy = 0;    /* -EBUSY: the mmap lock or its irq_work was taken */
__u64 vma_lookups_missing = 0; /* no VMA at the frame's address (a frame-pointer walk into garbage) */
__u64 vma_records = 0;         /* mappings written */

/* Where the callbacks find the sample's state: on the stack, as bpf_loop and bpf_find_vma want their context. */
struct resolution_ctx {
	struct sample_resolution *r;
	struct known_mappings *known;
	struct walk_state *st;
};

/* Stops at the innermost frame in no known mapping. */
static long find_uncovered_frame(__u64 index, void *data)
{
	struct resolution_ctx *c = data;
	struct sample_resolution *r = c->r;
	struct known_mappings *k = c->known;
	__u32 i = index, j;
	__u64 addr;

	if (i >= MAPSNAP_STACK_DEPTH)
		return 1;
	/* Frames above the leaf are return addresses: the call itself is one byte earlier, and a call that was its
	 * mapping's last instruction returns just past its end (user space looks them up the same way). */
	addr = i > 0 ? r->user[i] - 1 : r->user[i];
	if (addr < MAPSNAP_USER_ADDR_MIN || addr >= MAPSNAP_USER_ADDR_END)
		return 0;
	for (j = 0; j < MAPSNAP_KNOWN_MAPPINGS; j++) {
		if (addr >= k->start[j] && addr < k->end[j])
			return 0;
	}
	for (j = 0; j < MAPSNAP_KNOWN_MISSING; j++) {
		if (addr == k->missing[j])
			return 0;
	}
	r->lookup = addr;
	r->found = 1;
	return 1;
}

/* bpf_find_vma's callback, under the mmap read lock: the mapping becomes known and is written. */
static long record_frame_vma(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct resolution_ctx *c = data;
	struct sample_resolution *r = c->r;
	struct known_mappings *k = c->known;
	struct walk_state *st = c->st;
	struct mapsnap_vma *rec = &st->rec;
	struct file *file = BPF_CORE_READ(vma, vm_file);
	__u32 slot = k->next % MAPSNAP_KNOWN_MAPPINGS;

	/* Not atomic (a fetching add needs -mcpu=v3, and the build targets v2 for 5.10): see known_mappings. */
	k->next = slot + 1;
	k->start[slot] = BPF_CORE_READ(vma, vm_start);
	k->end[slot] = BPF_CORE_READ(vma, vm_end);
	if (emit(&r->hdr, sizeof(r->hdr), sizeof(r->hdr)))
		st->drops++;
	fill_vma(rec, vma, file);
	rec->kind = MAPSNAP_REC_VMA | (r->hdr.kind & ~MAPSNAP_REC_KIND_MASK);
	if (file)
		read_file_path(st, file, DENTRY_PATH_COLLECTOR_ROOT, DENTRY_PATH_BUILD_EACH);
	rec->size = vma_size(rec);
	if (emit(rec, rec->size, sizeof(*rec))) {
		st->drops++;
		return 0;
	}
	st->count++;
	__sync_fetch_and_add(&vma_records, 1);
	return 0;
}

/* Looks up the sample's innermost frame outside its process's known mappings, and writes that mapping as a
 * snapshot stamped with the sample's time. */
static __always_inline void resolve_user_frames(struct mapsnap_sample *s, __u32 tgid)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct sampled_mm_key key = { .start_boottime = s->start_boottime, .mm = s->mm, .tgid = tgid };
	struct resolution_ctx c;
	struct sample_resolution *r;
	struct known_mappings *none;
	__u32 zero = 0, bytes, tag;
	long err;

	if (s->user_bytes <= 0 || !s->mm)
		return;
	r = bpf_map_lookup_elem(&resolution_scratch, &zero);
	c.st = bpf_map_lookup_elem(&walk_scratch, &zero);
	none = bpf_map_lookup_elem(&no_mappings, &zero);
	if (!r || !c.st || !none)
		return;
	c.r = r;
	c.known = bpf_map_lookup_elem(&known_mappings, &key);
	if (!c.known) {
		bpf_map_update_elem(&known_mappings, &key, none, BPF_NOEXIST);
		c.known = bpf_map_lookup_elem(&known_mappings, &key);
		if (!c.known)
			return;
	}
	bytes = s->user_bytes;
	if (bytes > sizeof(r->user))
		bytes = sizeof(r->user);
	if (bpf_probe_read_kernel(r->user, bytes, s->user))
		return;
	r->found = 0;
	bpf_loop(bytes / 8, find_uncovered_frame, &c, 0);
	if (!r->found)
		return;
	tag = walk_tag(c.st, MAPSNAP_SAMPLE_PROGRAM);
	c.st->count = 0;
	c.st->drops = 0;
	forget_cached_path(c.st);
	fill_header(&r->hdr, task, (struct mm_struct *)s->mm);
	r->hdr.kind = MAPSNAP_REC_HEADER | tag;
	r->hdr.trigger = MAPSNAP_TRIGGER_IN_SAMPLE;
	/* The process's identity and the sample's moment, as the sample carries them: a thread's own start time is
	 * not its process's, and the symbolizer orders maps against samples by when they held. */
	r->hdr.start_boottime = s->start_boottime;
	r->hdr.taken_ns = s->time_ns;
	__sync_fetch_and_add(&vma_lookups, 1);
	err = bpf_find_vma(bpf_get_current_task_btf(), r->lookup, record_frame_vma, &c, 0);
	if (err == -EBUSY)
		__sync_fetch_and_add(&vma_lookups_busy, 1);
	else if (err) {
		__u32 slot = c.known->next_missing % MAPSNAP_KNOWN_MISSING;

		c.known->missing[slot] = r->lookup;
		c.known->next_missing = slot + 1;
		__sync_fetch_and_add(&vma_lookups_missing, 1);
	}
	if (!c.st->count && !c.st->drops)
		return;
	r->trailer.kind = MAPSNAP_REC_TRAILER | tag;
	r->trailer.vma_count = c.st->count;
	r->trailer.flags = c.st->drops ? MAPSNAP_SNAPSHOT_DROPPED : 0;
	r->trailer.reserved = 0;
	emit(&r->trailer, sizeof(r->trailer), sizeof(r->trailer));
}

#endif
