/* What the VMA walkers share: the ring buffer their records go to, its drop counter, and the
 * per-VMA record filling that does not depend on how the VMAs are found. Included by exactly one
 * .bpf.c per object, so the static definitions below are that object's own. */
#ifndef MAPSNAP_WALK_H
#define MAPSNAP_WALK_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_structs.h"
#include "mapsnap_records.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, MAPSNAP_WALK_RINGBUF_BYTES);
} records SEC(".maps");

/* Records the ring buffer had no room for, over the object's life. */
__u64 dropped = 0;

/* Written by user space before each snapshot (5.10 cannot filter a task iterator by pid);
 * 0 means every process the iterator visits. */
volatile __u32 target_tgid = 0;
const volatile __u32 max_vmas = 65536;
/* Address of the kernel's special_mapping_name (from /proc/kallsyms): vm_ops->name equal to it
 * marks [vdso]/[vvar]-style mappings, whose name lives in vm_private_data. 0 = unknown. */
const volatile __u64 special_mapping_name_addr = 0;
/* Addresses of the d_dname callbacks the dentry path builder (include/mapsnap_dentry_path.h) knows, from
 * /proc/kallsyms: anon_inodefs_dname ("anon_inode:NAME"), simple_dname ("/NAME (deleted)": memfd, SysV
 * shm) and sockfs_dname ("socket:[INODE]"). 0 = unknown: such a file's path is then flagged incomplete.
 * Here, not in that header, so that user space sets the same rodata in every walker object. */
const volatile __u64 anon_inodefs_dname_addr = 0;
const volatile __u64 simple_dname_addr = 0;
const volatile __u64 sockfs_dname_addr = 0;
/* FMODE_BACKING of the running kernel (a macro, so not in BTF: bit 25 in 6.6-6.13, bit 24 from
 * 6.14), set by user space from the release; 0 = no backing files (before 6.6). */
const volatile __u32 fmode_backing = 0;

/* Emits the first `size` bytes of rec; counts a drop when the ring buffer is full. */
static __always_inline int emit(void *rec, __u32 size, __u32 max)
{
	if (size > max)
		size = max;
	/* Keep the clamp where the verifier sees it: clang may otherwise fold it away. */
	asm volatile("" : "+r"(size));
	if (size > max)
		return -1;
	if (bpf_ringbuf_output(&records, rec, size, 0)) {
		__sync_fetch_and_add(&dropped, 1);
		return -1;
	}
	return 0;
}

static __always_inline void read_special_name(struct mapsnap_vma *rec, struct vm_area_struct *vma)
{
	const struct vm_operations_struct *ops = BPF_CORE_READ(vma, vm_ops);
	struct vm_special_mapping *sm;
	const char *name;

	if (!special_mapping_name_addr || !ops)
		return;
	if ((__u64)BPF_CORE_READ(ops, name) != special_mapping_name_addr)
		return;
	sm = BPF_CORE_READ(vma, vm_private_data);
	name = BPF_CORE_READ(sm, name);
	rec->path_len = bpf_probe_read_kernel_str(rec->path, sizeof(rec->path), name);
	if (rec->path_len > 0)
		rec->path_kind = MAPSNAP_PATH_SPECIAL;
}

/* The fields every walker fills the same way; the file's name is the caller's business. */
static __always_inline void fill_vma(struct mapsnap_vma *rec, struct vm_area_struct *vma, struct file *file)
{
	rec->kind = MAPSNAP_REC_VMA;
	rec->start = BPF_CORE_READ(vma, vm_start);
	rec->end = BPF_CORE_READ(vma, vm_end);
	rec->flags = BPF_CORE_READ(vma, vm_flags);
	rec->depth = 0;
	rec->path_flags = 0;
	rec->path_len = 0;
	rec->path_kind = MAPSNAP_PATH_NONE;
	if (file) {
		struct inode *inode = BPF_CORE_READ(file, f_inode);

		/* As /proc does (file_user_inode): a backing file reports the inode the user opened. */
		if (bpf_core_type_exists(struct backing_file) && fmode_backing &&
		    (BPF_CORE_READ(file, f_mode) & fmode_backing))
			inode = BPF_CORE_READ((struct backing_file *)file, user_path.dentry, d_inode);
		rec->pgoff = BPF_CORE_READ(vma, vm_pgoff) << 12;
		rec->inode = BPF_CORE_READ(inode, i_ino);
		rec->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	} else {
		/* /proc prints 0 for anonymous mappings, whose vm_pgoff is their address. */
		rec->pgoff = 0;
		rec->inode = 0;
		rec->dev = 0;
		read_special_name(rec, vma);
	}
}

/* Bytes of rec worth emitting: the fixed part and the name it carries. */
static __always_inline __u32 vma_size(struct mapsnap_vma *rec)
{
	__u32 payload = 0;

	if (rec->path_kind == MAPSNAP_PATH_FULL || rec->path_kind == MAPSNAP_PATH_SPECIAL)
		payload = rec->path_len > 0 ? rec->path_len : 0;
	else if (rec->path_kind == MAPSNAP_PATH_COMPONENTS)
		payload = rec->depth * MAPSNAP_NAME_MAX;
	else if (rec->path_kind == MAPSNAP_PATH_NAMES)
		payload = rec->path_len > 0 ? rec->path_len : 0;
	return MAPSNAP_VMA_FIXED + payload;
}

static __always_inline void fill_header(struct mapsnap_snapshot_header *hdr, struct task_struct *task,
					struct mm_struct *mm)
{
	hdr->kind = MAPSNAP_REC_HEADER;
	hdr->tgid = BPF_CORE_READ(task, tgid);
	hdr->pid = BPF_CORE_READ(task, pid);
	hdr->taken_ns = bpf_ktime_get_boot_ns();
	hdr->start_boottime = BPF_CORE_READ(task, start_boottime);
	hdr->mm = (__u64)mm;
	hdr->start_brk = BPF_CORE_READ(mm, start_brk);
	hdr->brk = BPF_CORE_READ(mm, brk);
	hdr->start_stack = BPF_CORE_READ(mm, start_stack);
	hdr->map_count = BPF_CORE_READ(mm, map_count);
	bpf_probe_read_kernel_str(hdr->comm, sizeof(hdr->comm), task->comm);
}

/* Always MAPSNAP_PATH_DEPTH names, without a branch per level: the root is its own parent, so a
 * short path repeats "/" and user space stops at the first one. For the legacy walkers (5.10), whose
 * verifier cannot afford more per VMA and has no bpf_loop; others build whole paths
 * (include/mapsnap_dentry_path.h). */
static __always_inline void read_dentry_names(struct mapsnap_vma *rec, struct dentry *d)
{
	__u32 i;

#pragma unroll
	for (i = 0; i < MAPSNAP_PATH_DEPTH; i++) {
		bpf_probe_read_kernel_str(rec->names[i], MAPSNAP_NAME_MAX, BPF_CORE_READ(d, d_name.name));
		d = BPF_CORE_READ(d, d_parent);
	}
	rec->depth = MAPSNAP_PATH_DEPTH;
	rec->path_kind = MAPSNAP_PATH_COMPONENTS;
}

/* Where the dentry path builder (include/mapsnap_dentry_path.h) is between two steps of its bpf_loop. In
 * memory, not in registers or on the stack: the step callback is verified once for every step, whatever
 * the pointers and offsets are, and never holds a value the verifier would track from step to step. */
struct dentry_walk {
	struct dentry *dentry;
	struct mount *mnt;
	struct dentry *root_dentry; /* the path stops here, as d_path stops at the reader's root; NULL: */
	struct vfsmount *root_mnt;  /* at the top of the mount tree only */
	__u32 done;                 /* reached the root (or the top of the mount tree) */
	/* The last path built, still in rec.packed_names: the next VMAs of the same file (an ELF has four or
	 * five) reuse it. Only while the walk holds the mmap lock, which pins the mapped files, and only until
	 * another record's name overwrites packed_names (forget_cached_path). */
	__s32 cached_len;
	struct dentry *cached_dentry; /* NULL: nothing cached */
	struct vfsmount *cached_mnt;
	__u16 cached_depth;
	__u16 cached_flags;
	__u32 reserved;
};

/* Scratch space: a VMA record is too large for the 512-byte BPF stack. */
struct walk_state {
	struct mapsnap_vma rec;
	struct dentry_walk path;
	/* The counter lives in memory: held in a register, the verifier tracks its every value and
	 * gives up ("sequence of 8193 jumps is too complex"); in memory the loop verifies once. */
	volatile __u32 count;
	volatile __u32 drops;
	__u32 seq; /* walks done with this scratch: part of a collector's walk id */
	__u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_state);
} walk_scratch SEC(".maps");

/* Walk id of a program whose walks interleave with others' in one ring buffer (the collectors' hooks, the
 * find-vma sampler): program (2 bits, never 0) | CPU (14 bits) | this scratch's sequence (8 bits), above the
 * kind bits. One program never nests on a CPU (bpf_prog->active), so that names every walk in flight. */
static __always_inline __u32 walk_tag(struct walk_state *st, __u32 program)
{
	__u32 id = program << 22 | (bpf_get_smp_processor_id() & 0x3fff) << 8 | (st->seq++ & 0xff);

	return id << MAPSNAP_REC_KIND_BITS;
}

/* At the start of a walk, and for every VMA whose record is not named from the dentry chain (a special
 * mapping's name overwrites the names cached in the record). */
static __always_inline void forget_cached_path(struct walk_state *st)
{
	st->path.cached_dentry = 0;
}

#endif
