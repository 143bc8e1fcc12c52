/* SPDX-License-Identifier: GPL-2.0 */
/* A mapped file's path built from its dentry chain, the way the kernel's d_path() builds it, for programs that
 * may not call bpf_d_path: the iterator walkers' _dentry variants (a kernel whose task_vma iterators hand out
 * vm_file as an untrusted pointer refuses bpf_d_path on it: seen on 6.18.44-fc-v1272) and the kfunc collector
 * (bpf_d_path is refused in raw_tp/tp_btf programs everywhere).
 *
 * What d_path (fs/d_path.c) does, and what this does:
 * - the path is file_user_path(): a backing file (overlayfs on 6.6+, FMODE_BACKING) reports the path the user
 *   opened, not the real file underneath;
 * - a dentry with d_op->d_dname (anon inodes, memfd, SysV shm, sockets, dma-bufs) is named by that callback.
 *   The callbacks are told apart by address (rodata from /proc/kallsyms): anon_inodefs_dname, simple_dname
 *   and sockfs_dname are rebuilt by user space from the dentry's name or inode; any other is flagged
 *   incomplete rather than guessed;
 * - otherwise the names are prepended leaf first (prepend_path): at the root of a mount the walk goes on from
 *   its mountpoint in the parent mount, so bind mounts print as they are mounted; it stops at the root of the
 *   reader's fs (as /proc, read by that task, does) or at a mount that is its own parent (the top of the tree,
 *   or a detached mount); a dentry that is its own parent without being a mount's root has escaped its root,
 *   and d_path then prints "/"; d_unlinked() appends " (deleted)".
 * The names go leaf first, each NUL-terminated, into the record's packed_names (MAPSNAP_PATH_NAMES); user space
 * joins them. A path that cannot be completed (the step bound, a read that failed, no room left) is flagged,
 * never shortened silently. Unlike d_path there is no rename_lock/mount_lock retry: a rename racing the walk
 * can give a path that was never whole, as any probe-read walk can.
 *
 * Loop: bpf_loop (5.17+: every kernel the kfunc walker and collector run on, and 6.1, the oldest kernel the
 * bpf-iter walker is tested on). Its callback is verified once, so the step bound costs nothing at load time;
 * a bounded C loop is verified once per iteration, and a register counter makes it explode (DESIGN.md). The
 * walk's state lives in the scratch map value (struct dentry_walk), so every step starts from the same
 * verifier state. */
#ifndef MAPSNAP_DENTRY_PATH_H
#define MAPSNAP_DENTRY_PATH_H

#include "mapsnap_walk.h"

/* Steps of one path: a name prepended or a mount crossed. MAPSNAP_NAMES_MAX bytes hold at most 2,048 names,
 * so this bound only stops a chain that loops (a walk racing a rename or an unmount). */
#define MAPSNAP_PATH_STEPS 4096

/* Where a path ends. */
enum dentry_path_root {
	DENTRY_PATH_READER_ROOT,    /* the current task's fs root: the iterator walkers, where current reads /proc */
	DENTRY_PATH_COLLECTOR_ROOT, /* the collecting process's fs root (collector_root_*): the collector, which runs
				     * in the walked task but names files for the process that will open them */
};

/* The collecting process's fs root, recorded by the collector at one of that process's own system calls; until
 * then (0) paths run to the top of the mount tree. A chrooted collector (the kernel matrix's guests run in one)
 * must see its own paths, as its read of /proc/PID/maps would. */
__u64 collector_root_dentry = 0;
__u64 collector_root_mnt = 0;

/* Records the collecting process's fs root, once, from one of its own system calls or samples. */
static __always_inline void remember_own_root(struct task_struct *task)
{
	if (collector_root_dentry)
		return;
	collector_root_mnt = (__u64)BPF_CORE_READ(task, fs, root.mnt);
	collector_root_dentry = (__u64)BPF_CORE_READ(task, fs, root.dentry);
}

struct dentry_path_ctx {
	struct mapsnap_vma *rec;
	struct dentry_walk *walk;
};

static __always_inline struct mount *real_mount(struct vfsmount *vfs)
{
	return (void *)vfs - bpf_core_field_offset(struct mount, mnt);
}

static __always_inline long path_stop(struct mapsnap_vma *rec, __u16 flags)
{
	rec->path_flags |= flags;
	return 1;
}

/* One step of prepend_path's loop: 0 to go on, 1 when the path is complete or cannot be. */
static long dentry_path_step(__u64 index, void *data)
{
	struct dentry_path_ctx *ctx = data;
	struct mapsnap_vma *rec = ctx->rec;
	struct dentry_walk *w = ctx->walk;
	struct dentry *d = w->dentry;
	struct mount *mnt = w->mnt;
	struct dentry *parent;
	__u32 off;
	long n;

	/* A pointer that could not be read is 0 (a failed probe read zeroes its destination). */
	if (!d || !mnt)
		return path_stop(rec, MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_READ_FAILED);
	if (d == w->root_dentry && (void *)mnt + bpf_core_field_offset(struct mount, mnt) == w->root_mnt) {
		w->done = 1;
		return 1;
	}
	if (d == BPF_CORE_READ(mnt, mnt.mnt_root)) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (!up)
			return path_stop(rec, MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_READ_FAILED);
		if (up == mnt) {
			w->done = 1; /* the top of the mount tree, or a detached mount: d_path stops here too */
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (parent == d) {
		/* Escaped its root (a dentry of another tree): d_path throws the names away and prints "/". */
		rec->path_len = 0;
		rec->depth = 0;
		w->done = 1;
		return 1;
	}
	off = rec->path_len;
	/* Bounds the verifier sees: off from memory is any value until checked here. */
	asm volatile("" : "+r"(off));
	if (off >= MAPSNAP_NAMES_MAX)
		return path_stop(rec, MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_TOO_LONG);
	n = bpf_probe_read_kernel_str(&rec->packed_names[off], MAPSNAP_NAME_LEN, BPF_CORE_READ(d, d_name.name));
	if (n <= 0)
		return path_stop(rec, MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_READ_FAILED);
	if (off + n > MAPSNAP_NAMES_MAX)
		return path_stop(rec, MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_TOO_LONG);
	rec->path_len = off + n;
	rec->depth++;
	w->dentry = parent;
	return 0;
}

/* The name d_op->d_dname gives `d`: one name in packed_names, and what to make of it in path_flags. */
static __always_inline void read_dname(struct mapsnap_vma *rec, struct dentry *d, __u64 dname)
{
	long n = bpf_probe_read_kernel_str(rec->packed_names, MAPSNAP_NAME_LEN, BPF_CORE_READ(d, d_name.name));

	if (n <= 0) {
		rec->path_flags = MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_READ_FAILED;
		return;
	}
	rec->path_len = n;
	rec->depth = 1;
	if (anon_inodefs_dname_addr && dname == anon_inodefs_dname_addr)
		rec->path_flags = MAPSNAP_PATH_F_DNAME_ANON;
	else if (simple_dname_addr && dname == simple_dname_addr)
		rec->path_flags = MAPSNAP_PATH_F_DNAME_SIMPLE;
	else if (sockfs_dname_addr && dname == sockfs_dname_addr)
		rec->path_flags = MAPSNAP_PATH_F_DNAME_SOCKET;
	else
		rec->path_flags = MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_DNAME_UNKNOWN;
}

/* d_path(): the path (d, vfs) names, into rec. */
static __always_inline void build_path(struct walk_state *st, struct dentry *d, struct vfsmount *vfs,
				       enum dentry_path_root root)
{
	struct mapsnap_vma *rec = &st->rec;
	struct dentry_walk *w = &st->path;
	struct dentry_path_ctx ctx = { .rec = rec, .walk = w };
	__u64 dname;

	/* d_path: pseudo files are named by their d_dname, unless mounted (the dentry is the mount's root). */
	dname = (__u64)BPF_CORE_READ(d, d_op, d_dname);
	if (dname && (BPF_CORE_READ(d, d_parent) != d || BPF_CORE_READ(vfs, mnt_root) != d)) {
		read_dname(rec, d, dname);
		return;
	}
	/* d_unlinked(): unhashed and not a root. */
	if (!BPF_CORE_READ(d, d_hash.pprev) && BPF_CORE_READ(d, d_parent) != d)
		rec->path_flags = MAPSNAP_PATH_F_DELETED;
	w->dentry = d;
	w->mnt = real_mount(vfs);
	w->done = 0;
	if (root == DENTRY_PATH_READER_ROOT) {
		struct task_struct *current = (struct task_struct *)bpf_get_current_task();

		w->root_dentry = BPF_CORE_READ(current, fs, root.dentry);
		w->root_mnt = BPF_CORE_READ(current, fs, root.mnt);
	} else {
		w->root_dentry = (struct dentry *)collector_root_dentry;
		w->root_mnt = (struct vfsmount *)collector_root_mnt;
	}
	bpf_loop(MAPSNAP_PATH_STEPS, dentry_path_step, &ctx, 0);
	if (!w->done && !(rec->path_flags & MAPSNAP_PATH_F_INCOMPLETE))
		rec->path_flags |= MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_TOO_DEEP;
}

/* Whether a caller's walk pins the mapped files between two VMAs, so that a path built for one VMA may serve
 * the next VMAs of the same file: the kfunc iterator holds the mmap lock for the whole walk; the task_vma
 * bpf_iter drops it between calls whenever a writer waits, and a file unmapped meanwhile could be freed and its
 * dentry's memory reused. */
enum dentry_path_reuse {
	DENTRY_PATH_BUILD_EACH,
	DENTRY_PATH_REUSE_LAST,
};

/* Names `file` as d_path(file_user_path(file)) would, into st->rec (kind MAPSNAP_PATH_NAMES). */
static __always_inline void read_file_path(struct walk_state *st, struct file *file, enum dentry_path_root root,
					   enum dentry_path_reuse reuse)
{
	struct mapsnap_vma *rec = &st->rec;
	struct dentry_walk *w = &st->path;
	struct vfsmount *vfs;
	struct dentry *d;

	rec->path_kind = MAPSNAP_PATH_NAMES;
	rec->path_len = 0;
	rec->depth = 0;
	rec->path_flags = 0;
	/* file_user_path(): a backing file (overlayfs) reports the path the user opened. */
	if (bpf_core_type_exists(struct backing_file) && fmode_backing &&
	    (BPF_CORE_READ(file, f_mode) & fmode_backing)) {
		vfs = BPF_CORE_READ((struct backing_file *)file, user_path.mnt);
		d = BPF_CORE_READ((struct backing_file *)file, user_path.dentry);
	} else {
		vfs = BPF_CORE_READ(file, f_path.mnt);
		d = BPF_CORE_READ(file, f_path.dentry);
	}
	if (!d || !vfs) {
		rec->path_flags = MAPSNAP_PATH_F_INCOMPLETE | MAPSNAP_PATH_F_READ_FAILED;
		forget_cached_path(st);
		return;
	}
	if (reuse == DENTRY_PATH_REUSE_LAST && d == w->cached_dentry && vfs == w->cached_mnt) {
		rec->path_len = w->cached_len;
		rec->depth = w->cached_depth;
		rec->path_flags = w->cached_flags;
		return;
	}
	build_path(st, d, vfs, root);
	if (reuse == DENTRY_PATH_REUSE_LAST) {
		w->cached_dentry = d;
		w->cached_mnt = vfs;
		w->cached_len = rec->path_len;
		w->cached_depth = rec->depth;
		w->cached_flags = rec->path_flags;
	} else {
		forget_cached_path(st);
	}
}

#endif
