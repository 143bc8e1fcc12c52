/* SPDX-License-Identifier: GPL-2.0 */
/* How the iterator walkers (kfunc_vma_walker, bpf_iter_vma_walker) name a mapped file. Each source builds two
 * objects (bpf-programs/build.sh, the bundle's bpf.programs):
 * - NAME.bpf.o calls bpf_d_path, which iterator programs may call with a trusted vm_file;
 * - NAME_dentry.bpf.o (-DMAPSNAP_DENTRY_PATH) builds the path from the dentry chain
 *   (include/mapsnap_dentry_path.h), for kernels whose task_vma iterators hand out vm_file as an untrusted
 *   pointer and so refuse bpf_d_path on it ("R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_",
 *   6.18.44-fc-v1272).
 * User space loads the first the kernel accepts. */
#ifndef MAPSNAP_ITER_PATH_H
#define MAPSNAP_ITER_PATH_H

#include "mapsnap_walk.h"
#ifdef MAPSNAP_DENTRY_PATH
#include "mapsnap_dentry_path.h"
#endif

/* Names the file of the VMA whose record st->rec holds (filled by fill_vma), if it has one. `reuse` says whether
 * the walk pins the mapped files between VMAs (include/mapsnap_dentry_path.h; the d_path objects ignore it). */
static __always_inline void name_mapped_file(struct walk_state *st, struct file *file, int reuse)
{
#ifdef MAPSNAP_DENTRY_PATH
	if (!file) {
		forget_cached_path(st); /* a special mapping's name may have overwritten the cached names */
		return;
	}
	/* The iterator runs in the task reading it, as /proc is read: stop at that task's root, as d_path does. */
	read_file_path(st, file, DENTRY_PATH_READER_ROOT, reuse ? DENTRY_PATH_REUSE_LAST : DENTRY_PATH_BUILD_EACH);
#else
	struct mapsnap_vma *rec = &st->rec;

	if (!file)
		return;
	rec->path_len = bpf_d_path(&file->f_path, rec->path, sizeof(rec->path));
	rec->path_kind = rec->path_len > 0 ? MAPSNAP_PATH_FULL : MAPSNAP_PATH_ERROR;
#endif
}

#endif
