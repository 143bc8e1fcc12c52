// SPDX-License-Identifier: GPL-2.0
/* On-demand snapshot of one process's VMAs with the open-coded kfunc iterator (Linux 6.7+).
 *
 * An iter/task program sees every task once; it stops at the target's group leader and walks its
 * mm with bpf_iter_task_vma_new/next/destroy, which hold the mmap read lock for the whole walk, so
 * the snapshot is consistent. Iterator programs may call bpf_d_path (raw_tp and uprobe programs
 * may not), so paths are exact. Records go to the iterator's seq_file: a header, the VMAs, a trailer. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_structs.h"
#include "mapsnap_records.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

/* Written by user space before each snapshot (kernels before 6.1 cannot filter the task
 * iterator by pid); 0 means every process the iterator visits. */
volatile __u32 target_tgid = 0;
const volatile __u32 max_vmas = 65536;
/* Address of the kernel's special_mapping_name (from /proc/kallsyms): vm_ops->name equal to it
 * marks [vdso]/[vvar]-style mappings, whose name lives in vm_private_data. 0 = unknown. */
const volatile __u64 special_mapping_name_addr = 0;

/* Scratch space: a VMA record is too large for the 512-byte BPF stack. */
struct walk_state {
	struct mapsnap_vma rec;
	/* The counter lives in memory: held in a register, the verifier tracks its every value and
	 * gives up ("sequence of 8193 jumps is too complex"); in memory the loop verifies once. */
	volatile __u32 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_state);
} walk_scratch SEC(".maps");

static void read_special_name(struct mapsnap_vma *rec, struct vm_area_struct *vma)
{
	const struct vm_operations_struct *ops = vma->vm_ops;
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
int kfunc_vma_walker(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = (struct seq_file *)ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct mapsnap_snapshot_header hdr = { .kind = MAPSNAP_REC_HEADER };
	struct mapsnap_snapshot_trailer trailer = { .kind = MAPSNAP_REC_TRAILER };
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	__u32 zero = 0;
	struct walk_state *st;
	struct mapsnap_vma *rec;
	int err;

	/* One snapshot per process: only its group leader's view. */
	if (!task || task->pid != task->tgid || (target_tgid && task->tgid != target_tgid))
		return 0;
	mm = task->mm;
	if (!mm)
		return 0; /* exiting, or a kernel thread: no address space to walk */
	st = bpf_map_lookup_elem(&walk_scratch, &zero);
	if (!st)
		return 0;
	rec = &st->rec;
	rec->kind = MAPSNAP_REC_VMA;
	st->count = 0;

	hdr.tgid = task->tgid;
	hdr.pid = task->pid;
	hdr.taken_ns = bpf_ktime_get_boot_ns();
	hdr.start_boottime = task->start_boottime;
	hdr.mm = (__u64)mm;
	hdr.start_brk = mm->start_brk;
	hdr.brk = mm->brk;
	hdr.start_stack = mm->start_stack;
	hdr.map_count = mm->map_count;
	bpf_probe_read_kernel_str(hdr.comm, sizeof(hdr.comm), task->comm);

	err = bpf_iter_task_vma_new(&it, task, 0);
	hdr.error = err;
	bpf_seq_write((struct seq_file *)seq, &hdr, sizeof(hdr));
	if (err) {
		bpf_iter_task_vma_destroy(&it);
		bpf_seq_write((struct seq_file *)seq, &trailer, sizeof(trailer));
		return 0;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = vma->vm_file;

		if (st->count >= max_vmas) {
			trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
			break;
		}

		rec->start = vma->vm_start;
		rec->end = vma->vm_end;
		rec->pgoff = (__u64)vma->vm_pgoff << 12;
		rec->flags = vma->vm_flags;
		rec->depth = 0;
		if (file) {
			struct inode *inode = file->f_inode;

			rec->inode = inode->i_ino;
			rec->dev = inode->i_sb->s_dev;
			rec->path_len = bpf_d_path(&file->f_path, rec->path, sizeof(rec->path));
			rec->path_kind = rec->path_len > 0 ? MAPSNAP_PATH_FULL : MAPSNAP_PATH_ERROR;
		} else {
			rec->inode = 0;
			rec->dev = 0;
			rec->path_len = 0;
			rec->path_kind = MAPSNAP_PATH_NONE;
			read_special_name(rec, vma);
		}
		bpf_seq_write((struct seq_file *)seq, rec, sizeof(*rec));
		st->count++;
	}
	bpf_iter_task_vma_destroy(&it);
	trailer.vma_count = st->count;
	bpf_seq_write((struct seq_file *)seq, &trailer, sizeof(trailer));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
