/* SPDX-License-Identifier: GPL-2.0 */
/* The task_work kfunc, in the shape the includer names. It changed shape between builds:
 * bpf_task_work_schedule_resume(task, tw, map, callback, aux__prog) when it appeared; bpf_task_work_schedule_resume_impl
 * with the same arguments on some 6.18 builds; and on 7.x bpf_task_work_schedule_resume(task, tw, map, callback), the
 * verifier filling in the program itself (implicit arguments; the _impl name there takes a struct bpf_prog_aux
 * pointer). A kfunc libbpf cannot match fails the whole object, so each shape is an object of its own: the includer
 * defines MAPSNAP_TASK_WORK_SCHEDULE to the name it calls, and MAPSNAP_TASK_WORK_IMPLICIT_AUX where the program
 * argument is implicit; it calls MAPSNAP_TASK_WORK_SCHEDULE(task, tw, map, callback MAPSNAP_TASK_WORK_AUX). */
#ifndef MAPSNAP_TASK_WORK_KFUNC_H
#define MAPSNAP_TASK_WORK_KFUNC_H

/* A complete type, not a forward declaration: libbpf 1.1 finds a FWD incompatible with the
 * kernel's STRUCT when it checks the kfunc's callback prototype. */
struct bpf_map {
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_task_work {
	__u64 __opaque;
} __attribute__((aligned(8)));

#ifdef MAPSNAP_TASK_WORK_IMPLICIT_AUX
extern int MAPSNAP_TASK_WORK_SCHEDULE(struct task_struct *task, struct bpf_task_work *tw, void *map__map,
				      int (*callback)(struct bpf_map *, void *, void *)) __ksym;
#define MAPSNAP_TASK_WORK_AUX
#else
extern int MAPSNAP_TASK_WORK_SCHEDULE(struct task_struct *task, struct bpf_task_work *tw, void *map__map,
				      int (*callback)(struct bpf_map *, void *, void *), void *aux__prog) __ksym;
#define MAPSNAP_TASK_WORK_AUX , NULL
#endif

#endif
