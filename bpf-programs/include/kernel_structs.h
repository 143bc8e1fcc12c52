/* Kernel structures mapsnap's BPF programs read, declared by hand with CO-RE relocations.
 *
 * We do not generate vmlinux.h from the build machine's kernel: an object built here must relocate
 * on 5.10 as on 6.18. preserve_access_index makes every member access a relocation that libbpf
 * resolves against the running kernel's BTF, so only the members we touch need declaring, and
 * their order and offsets here do not matter. Fields that moved or vanished get a ___flavour struct
 * and a bpf_core_field_exists() test.
 */
#ifndef MAPSNAP_KERNEL_STRUCTS_H
#define MAPSNAP_KERNEL_STRUCTS_H

#include <linux/types.h>

#define __ks __attribute__((preserve_access_index))

struct qstr {
	const unsigned char *name;
	__u32 len;
} __ks;

struct inode;

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
} __ks;

/* d_path hands a dentry with a d_dname callback to it (anon inodes, memfd, pipes, sockets). */
struct dentry_operations {
	void *d_dname;
} __ks;

struct dentry {
	struct hlist_bl_node d_hash; /* pprev NULL: unhashed (d_unlinked, with d_parent != itself) */
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	const struct dentry_operations *d_op;
} __ks;

struct vfsmount {
	struct dentry *mnt_root;
} __ks;

/* The mount a vfsmount is embedded in: how a path climbs from a mount's root to its mountpoint. */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} __ks;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} __ks;

struct super_block {
	__u32 s_dev;
} __ks;

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
} __ks;

struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_mode;
} __ks;

/* 6.6+: overlayfs maps the real (lower) file, wrapped in a backing_file that remembers the path
 * the user opened; /proc reports that one (file_user_inode). user_path sits in an anonymous
 * union on newer kernels, which CO-RE's by-name matching sees through. */
struct backing_file {
	struct file file;
	struct path user_path;
} __ks;

struct mm_struct;

/* Only the name callback matters: it tells a special mapping ([vdso], [vvar]) from others. */
struct vm_operations_struct {
	void *name;
} __ks;

struct vm_special_mapping {
	const char *name;
} __ks;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	unsigned long vm_flags;
	struct file *vm_file;
	struct mm_struct *vm_mm;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
} __ks;

/* Up to 6.0 VMAs formed a list: mm->mmap then vma->vm_next (removed by the maple tree, 763ecb035029). */
struct vm_area_struct___legacy {
	struct vm_area_struct___legacy *vm_next;
} __ks;

struct mm_struct___legacy {
	struct vm_area_struct___legacy *mmap;
	int map_count;
} __ks;

struct mm_struct {
	unsigned long start_brk;
	unsigned long brk;
	unsigned long start_stack;
	int map_count;
} __ks;

typedef struct {
	int counter;
} atomic_t;

/* d_path stops at the reading task's root (chroot), as /proc shows paths to the task reading it. */
struct fs_struct {
	struct path root;
} __ks;

struct signal_struct {
	atomic_t live; /* threads of the group not yet exiting */
} __ks;

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct mm_struct *mm;
	struct task_struct *group_leader;
	struct task_struct *real_parent;
	struct signal_struct *signal;
	struct fs_struct *fs;
	__u64 start_time;
	__u64 start_boottime;
} __ks;

/* Open-coded task_vma iterator state (6.7+): opaque to programs, 8 bytes on every kernel that has it. */
struct bpf_iter_task_vma {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

/* The contexts of bpf_iter programs: SEC("iter/task") and SEC("iter/task_vma"). */
struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __ks;

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __ks;

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
} __ks;

#endif
