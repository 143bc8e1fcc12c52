// SPDX-License-Identifier: GPL-2.0
/* Snapshot of one process's VMAs on kernels up to 6.0: walk mm->mmap, then vma->vm_next.
 *
 * The list was replaced by the maple tree in 6.1 (commit 763ecb035029); bpf_core_field_exists
 * tells which layout the running kernel has, so this object loads everywhere and reports
 * "no list" on new kernels instead of failing to relocate. The walk is bounded by max_vmas and
 * flags truncation. Paths are dentry names leaf first (bpf_d_path is not usable here on 5.10). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_structs.h"
#include "mapsnap_records.h"

struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* Written by user space before each snapshot: 5.10 cannot filter the task iterator by pid. */
volatile __u32 target_tgid = 0;
const volatile __u32 max_vmas = 65536;
/* See kfunc_vma_walker.bpf.c: marks [vdso]/[vvar]-style mappings. */
const volatile __u64 special_mapping_name_addr = 0;

struct walk_state {
	struct mapsnap_vma rec;
	/* The loop counter lives in memory: held in a register, the verifier tries to unroll the loop. */
	volatile __u32 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_state);
} walk_scratch SEC(".maps");


static void read_names(struct mapsnap_vma *rec, struct dentry *d)
{
	__u32 i;

	for (i = 0; i < MAPSNAP_PATH_DEPTH; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);

		bpf_probe_read_kernel_str(rec->names[i], MAPSNAP_NAME_MAX, name);
		rec->depth = i + 1;
		if (!parent || parent == d)
			break;
		d = parent;
	}
}

static void read_special_name(struct mapsnap_vma *rec, struct vm_area_struct *vma)
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

SEC("iter/task")
int legacy_vma_walker(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = (struct seq_file *)ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = { .kind = MAPSNAP_REC_HEADER };
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
	struct mm_struct___legacy *lmm;
	struct vm_area_struct___legacy *lvma;
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 zero = 0;

	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	mm = BPF_CORE_READ(task, mm);
	if (!mm)
		return 0;
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	if (!st)
		return 0;

	hdr.tgid = BPF_CORE_READ(task, tgid);
	hdr.pid = BPF_CORE_READ(task, pid);
	hdr.taken_ns = bpf_ktime_get_boot_ns();
	hdr.start_boottime = BPF_CORE_READ(task, start_boottime);
	hdr.mm = (__u64)mm;
	hdr.start_brk = BPF_CORE_READ(mm, start_brk);
	hdr.brk = BPF_CORE_READ(mm, brk);
	hdr.start_stack = BPF_CORE_READ(mm, start_stack);
	hdr.map_count = BPF_CORE_READ(mm, map_count);
	bpf_probe_read_kernel_str(hdr.comm, sizeof(hdr.comm), task->comm);

	/* 6.1+ has no list (maple tree): say so in the header instead of failing to relocate. */
	if (!bpf_core_field_exists(struct mm_struct___legacy, mmap)) {
		hdr.error = -95; /* -EOPNOTSUPP */
		bpf_seq_write((struct seq_file *)seq, &hdr, sizeof(hdr));
		bpf_seq_write((struct seq_file *)seq, &trailer, sizeof(trailer));
		return 0;
	}
	lmm = (struct mm_struct___legacy *)mm;
	lvma = BPF_CORE_READ(lmm, mmap);
	bpf_seq_write((struct seq_file *)seq, &hdr, sizeof(hdr));
	st->count = 0;
	while (lvma && st->count < max_vmas) {
		struct vm_area_struct *vma = (struct vm_area_struct *)lvma;
		struct file *file = BPF_CORE_READ(vma, vm_file);
		struct mapsnap_vma *rec = &st->rec;

		rec->kind = MAPSNAP_REC_VMA;
		rec->start = BPF_CORE_READ(vma, vm_start);
		rec->end = BPF_CORE_READ(vma, vm_end);
		rec->pgoff = BPF_CORE_READ(vma, vm_pgoff) << 12;
		rec->flags = BPF_CORE_READ(vma, vm_flags);
		rec->depth = 0;
		rec->path_len = 0;
		if (file) {
			rec->inode = BPF_CORE_READ(file, f_inode, i_ino);
			rec->dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
			rec->path_kind = MAPSNAP_PATH_COMPONENTS;
			read_names(rec, BPF_CORE_READ(file, f_path.dentry));
		} else {
			rec->inode = 0;
			rec->dev = 0;
			rec->path_kind = MAPSNAP_PATH_NONE;
			read_special_name(rec, vma);
		}
		bpf_seq_write((struct seq_file *)seq, rec, sizeof(*rec));
		st->count++;
		lvma = BPF_CORE_READ(lvma, vm_next);
	}
	trailer.vma_count = st->count;
	trailer.flags = lvma ? MAPSNAP_SNAPSHOT_TRUNCATED : 0;
	bpf_seq_write((struct seq_file *)seq, &trailer, sizeof(trailer));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
