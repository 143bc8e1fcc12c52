/* The hooks and state machine every collection-time collector shares; the walk is each collector's own.
 *
 * A collector's .bpf.c includes this file after defining
 *   static __always_inline struct task_struct *collector_current_task(void);
 *   static __always_inline void collector_saw_itself(struct task_struct *task);
 *   static __always_inline int collector_walk(void *ctx, struct task_struct *task, struct mm_struct *mm,
 *                                             __u32 trigger, struct walk_state *st, __u32 program);
 * (ctx is the hook's, for a walk that goes on by tail calls; collector_walk stamps `walk_tag(st, program)` into its
 * records' kind words and returns 0, or the error it put in the header). The task may be a trusted BTF pointer (kfunc collector: the iterator kfunc needs one) or a plain one
 * from bpf_get_current_task() (legacy collector: bpf_get_current_task_btf only exists since 5.11), so everything
 * here reads it with CO-RE probe reads, which work for both.
 *
 * The hooks, one program each (walks run where IRQs are on and the task is current):
 * - raw_tp/sys_enter, program 1:
 *   - exit_group(2), and exit(2) of a process's last live thread: the final map (EXIT). Kernels before upstream's
 *     2025 move of sched_process_exit ahead of exit_mm() (3e816361e94a; Debian's 5.10, 6.1 and 6.12 among them)
 *     fire that tracepoint with mm already gone, so the last system call is the last moment the map is there. A
 *     process killed by a signal makes no such call: there its last walk is the latest of the others.
 *   - the first system call of a process in the collection (FIRST_SEEN), the first after an exec (a new mm: EXEC),
 *     and again when mm->map_count moved and the last walk is older than refresh_interval_ns (REFRESH). A process
 *     cannot run long without a system call, and ld.so makes its first ones before main, so every process is seen
 *     early. An exec-time walk would see only the binary and the loader, so exec is noticed here instead.
 * - tp_btf/sched_process_exit, program 2: the final map of a process whose last thread is exiting, where the
 *   kernel fires it before exit_mm() (the kernel bundle's sched-exit-sees-mm probe tells which); elsewhere mm is
 *   NULL and it only forgets the process. Where both fire (6.18) it walks only a process that made no successful
 *   exit walk with the same map (killed by a signal).
 *
 * Walks on different CPUs run at once, and a walk in a preemptible syscall tracepoint can be interleaved with
 * another on its CPU, so each walk stamps a walk id into its records' kind word and each program has its own
 * scratch. One program never nests on a CPU (bpf_prog->active), so (program, CPU, sequence) names every walk in
 * flight; no atomic fetch is needed (5.12+ only, and the legacy collector runs on 5.10). */
#ifndef MAPSNAP_COLLECTOR_H
#define MAPSNAP_COLLECTOR_H

#include "mapsnap_walk.h"

/* x86_64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl); the build targets x86 only. */
#define MAPSNAP_NR_EXIT 60
#define MAPSNAP_NR_EXIT_GROUP 231

/* Per process: the address space last walked and when, to walk once per change, not per call. */
struct process_state {
	__u64 mm;
	__u64 last_walk_ns;
	__u32 map_count;
	__s32 last_error;
	__u32 exit_walked; /* its exit(2)/exit_group(2) walk succeeded: sched_process_exit need not walk again */
	__u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct process_state);
} processes SEC(".maps");

/* The processes in scope when filter_tgids is set (filled by user space before attaching). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} scope_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_state);
} enter_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_state);
} exit_scratch SEC(".maps");

const volatile __u32 filter_tgids = 0;
const volatile __u64 filter_cgroup_id = 0;
/* The collecting process itself: its own map changes with every allocation it makes (0 while a collector checks
 * itself by walking its own process). */
const volatile __u32 self_tgid = 0;
/* The collecting process, always (collector_saw_itself). */
const volatile __u32 collector_tgid = 0;
const volatile __u64 refresh_interval_ns = 1000000000ULL;

__u64 walks = 0;
__u64 walks_failed = 0;

static __always_inline int in_scope(__u32 tgid)
{
	if (tgid == self_tgid || tgid == 0)
		return 0;
	if (filter_cgroup_id && bpf_get_current_cgroup_id() != filter_cgroup_id)
		return 0;
	if (filter_tgids && !bpf_map_lookup_elem(&scope_tgids, &tgid))
		return 0;
	return 1;
}

static __always_inline void remember(__u32 tgid, struct mm_struct *mm, __u32 map_count, __u64 now, int err,
				     __u32 exit_walked)
{
	struct process_state s = {
		.mm = (__u64)mm,
		.last_walk_ns = now,
		.map_count = map_count,
		.last_error = err,
		.exit_walked = exit_walked,
	};

	bpf_map_update_elem(&processes, &tgid, &s, BPF_ANY);
}

/* Threads of the group not yet exiting: decremented in do_exit() before exit_mm(). */
static __always_inline int live_threads(struct task_struct *task)
{
	return BPF_CORE_READ(task, signal, live.counter);
}

SEC("raw_tp/sys_enter")
int collect_on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = collector_current_task();
	struct process_state *known;
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 zero = 0, trigger, map_count;
	long nr;
	int err;
	__u64 now;

	/* The collecting process itself, at one of its own system calls: what it needs to know of its own task. */
	if (tgid == collector_tgid)
		collector_saw_itself(task);
	if (!in_scope(tgid))
		return 0;
	mm = BPF_CORE_READ(task, mm);
	if (!mm)
		return 0;
	/* sys_enter(struct pt_regs *regs, long id) */
	nr = ctx->args[1];
	map_count = BPF_CORE_READ(mm, map_count);
	now = bpf_ktime_get_boot_ns();
	if (nr == MAPSNAP_NR_EXIT_GROUP || (nr == MAPSNAP_NR_EXIT && live_threads(task) <= 1)) {
		trigger = MAPSNAP_TRIGGER_EXIT;
	} else {
		known = bpf_map_lookup_elem(&processes, &tgid);
		if (!known) {
			trigger = MAPSNAP_TRIGGER_FIRST_SEEN;
		} else if (known->last_error && now - known->last_walk_ns < refresh_interval_ns) {
			return 0; /* the last walk failed (lock contention): retry later, not on every call */
		} else if (known->mm != (__u64)mm) {
			trigger = known->mm ? MAPSNAP_TRIGGER_EXEC : MAPSNAP_TRIGGER_FIRST_SEEN;
		} else if (known->last_error) {
			trigger = MAPSNAP_TRIGGER_REFRESH;
		} else if (known->map_count != map_count && now - known->last_walk_ns >= refresh_interval_ns) {
			trigger = MAPSNAP_TRIGGER_REFRESH;
		} else {
			return 0;
		}
	}
	st = bpf_map_lookup_elem(&enter_scratch, &zero);
	if (!st)
		return 0;
	/* One call site: the walk is inlined, and 5.10's verifier pays for every copy. */
	err = collector_walk(ctx, task, mm, trigger, st, 1);
	/* After an exit walk the state stays, so the group's other threads, racing to their end, do not walk it as new. */
	remember(tgid, mm, map_count, now, err, trigger == MAPSNAP_TRIGGER_EXIT && !err);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int collect_on_exit(__u64 *ctx)
{
	struct task_struct *task = collector_current_task();
	struct process_state *known;
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 zero = 0;

	if (!in_scope(tgid))
		return 0;
	/* Only the group's last thread: `live` is decremented just before or just after this tracepoint depending on
	 * the kernel, so <= 1 may walk twice but never misses the last. */
	if (live_threads(task) > 1)
		return 0;
	mm = BPF_CORE_READ(task, mm);
	/* NULL on kernels firing this after exit_mm() (the exit_group walk covers them), and for kernel threads. Where
	 * it fires before (6.18), a process that ended by exit_group(2) was walked there already, with this very map:
	 * only one killed by a signal, or whose map moved since, needs this walk. */
	known = bpf_map_lookup_elem(&processes, &tgid);
	if (mm && !(known && known->exit_walked && known->mm == (__u64)mm &&
		    known->map_count == BPF_CORE_READ(mm, map_count))) {
		st = bpf_map_lookup_elem(&exit_scratch, &zero);
		if (st)
			collector_walk(ctx, task, mm, MAPSNAP_TRIGGER_EXIT, st, 2);
	}
	bpf_map_delete_elem(&processes, &tgid);
	return 0;
}

#endif
