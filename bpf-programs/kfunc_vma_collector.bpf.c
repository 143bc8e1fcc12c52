// SPDX-License-Identifier: GPL-2.0
/* Collection-time snapshots with the open-coded kfunc iterator (Linux 6.7+), from process context.
 *
 * Stable kernels after the 2026 rework refuse bpf_iter_task_vma_new with IRQs disabled (-EBUSY in
 * every perf_event sample), so the walks run where IRQs are on and the task is current:
 * - raw_tp/sys_enter: the first system call of a process in the collection (FIRST_SEEN), the first
 *   after an exec (a new mm: EXEC), and again when mm->map_count moved and the last walk is older
 *   than refresh_interval_ns (REFRESH). A process cannot run long without a system call, and ld.so
 *   makes its first ones before main, so every process is seen early.
 * - tp_btf/sched_process_exit: the final map of a process whose last thread is exiting. Upstream
 *   fires it before exit_mm() since 2025 (3e816361e94a); where it fires later, mm is NULL and the
 *   program does nothing (the kernel bundle's sched-exit-sees-mm probe tells which).
 * An exec-time walk would see only the binary and the loader, so exec is noticed on the next
 * system call instead.
 *
 * Walks on different CPUs run at once, and a walk in a preemptible syscall tracepoint can be
 * interleaved with another on its CPU, so each walk stamps a walk id into its records' kind word
 * and each program has its own scratch. One program never nests on a CPU (bpf_prog->active), so
 * (program, CPU, sequence) names every walk in flight; no atomic fetch is needed (5.12+ only). */
#include "mapsnap_walk.h"

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

/* Per process: the address space last walked and when, to walk once per change, not per call. */
struct process_state {
	__u64 mm;
	__u64 last_walk_ns;
	__u32 map_count;
	__s32 last_error;
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
/* The collecting process itself: its own map changes with every allocation it makes. */
const volatile __u32 self_tgid = 0;
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

/* Walks the current task's address space; returns the iterator's error (0 on success). */
static __always_inline int walk(struct task_struct *task, struct mm_struct *mm, __u32 trigger,
				struct walk_state *st, __u32 program)
{
	struct mapsnap_snapshot_header hdr = {};
	struct mapsnap_snapshot_trailer trailer = {};
	struct mapsnap_vma *rec = &st->rec;
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	/* Walk id: program (2 bits, never 0) | CPU (14 bits) | this scratch's sequence (8 bits). */
	__u32 id = program << 22 | (bpf_get_smp_processor_id() & 0x3fff) << 8 | (st->seq++ & 0xff);
	__u32 tag = id << MAPSNAP_REC_KIND_BITS;

	st->count = 0;
	st->drops = 0;
	fill_header(&hdr, task, mm);
	hdr.kind = MAPSNAP_REC_HEADER | tag;
	hdr.trigger = trigger;
	hdr.error = bpf_iter_task_vma_new(&it, task, 0);
	trailer.kind = MAPSNAP_REC_TRAILER | tag;
	if (emit(&hdr, sizeof(hdr), sizeof(hdr)))
		st->drops++;
	if (hdr.error) {
		bpf_iter_task_vma_destroy(&it);
		emit(&trailer, sizeof(trailer), sizeof(trailer));
		__sync_fetch_and_add(&walks_failed, 1);
		return hdr.error;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = vma->vm_file;

		if (st->count >= max_vmas) {
			trailer.flags |= MAPSNAP_SNAPSHOT_TRUNCATED;
			break;
		}
		fill_vma(rec, vma, file);
		rec->kind = MAPSNAP_REC_VMA | tag;
		/* bpf_d_path is refused outside iterator programs: names, joined by user space. */
		if (file)
			read_path_names(rec, file);
		rec->size = vma_size(rec);
		if (emit(rec, rec->size, sizeof(*rec)))
			st->drops++;
		else
			st->count++;
	}
	bpf_iter_task_vma_destroy(&it);
	trailer.vma_count = st->count;
	if (st->drops)
		trailer.flags |= MAPSNAP_SNAPSHOT_DROPPED;
	emit(&trailer, sizeof(trailer), sizeof(trailer));
	__sync_fetch_and_add(&walks, 1);
	return 0;
}

static __always_inline void remember(__u32 tgid, struct mm_struct *mm, __u32 map_count, __u64 now, int err)
{
	struct process_state s = {
		.mm = (__u64)mm,
		.last_walk_ns = now,
		.map_count = map_count,
		.last_error = err,
	};

	bpf_map_update_elem(&processes, &tgid, &s, BPF_ANY);
}

SEC("raw_tp/sys_enter")
int collect_on_sys_enter(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct process_state *known;
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 tgid = task->tgid;
	__u32 zero = 0, trigger, map_count;
	__u64 now;

	if (!in_scope(tgid))
		return 0;
	mm = task->mm;
	if (!mm)
		return 0;
	map_count = mm->map_count;
	known = bpf_map_lookup_elem(&processes, &tgid);
	now = bpf_ktime_get_boot_ns();
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
	st = bpf_map_lookup_elem(&enter_scratch, &zero);
	if (!st)
		return 0;
	remember(tgid, mm, map_count, now, walk(task, mm, trigger, st, 1));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int collect_on_exit(__u64 *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct walk_state *st;
	struct mm_struct *mm;
	__u32 tgid = task->tgid;
	__u32 zero = 0;

	if (!in_scope(tgid))
		return 0;
	mm = task->mm;
	if (!mm)
		return 0; /* a kernel firing this after exit_mm(), or a kernel thread */
	/* Only the group's last thread: `live` is decremented just before or just after this
	 * tracepoint depending on the kernel, so <= 1 may walk twice but never misses the last. */
	if (BPF_CORE_READ(task, signal, live.counter) > 1)
		return 0;
	st = bpf_map_lookup_elem(&exit_scratch, &zero);
	if (!st)
		return 0;
	walk(task, mm, MAPSNAP_TRIGGER_EXIT, st, 2);
	bpf_map_delete_elem(&processes, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
