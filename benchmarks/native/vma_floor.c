// SPDX-License-Identifier: GPL-2.0
/* Native floors for a full memory-map snapshot of one process, driven by the Java benchmark
 * harness (io.mapsnap.benchmarks.NativeFloor) over stdin/stdout so that they run interleaved with
 * mapsnap's own sources:
 *
 *   iter PID N    N walks with vma_floor.bpf.o (kfunc iterator, count only): per walk the
 *                 program's run time from BPF run-time statistics and the wall time of
 *                 attach + read + detach
 *   maps PID N    N reads of /proc/PID/maps, each parsed into an array of VMAs
 *   query PID N   N enumerations with the PROCMAP_QUERY ioctl (6.11+), names included
 *   quit
 *
 * Each command answers one line: "ok VMAS KERNEL_NS WALL_NS" where KERNEL_NS and WALL_NS are
 * comma-separated per-walk samples ("-" when not measured), or "err MESSAGE".
 *
 * Usage: vma_floor [PATH/vma_floor.bpf.o]   (without the object, "iter" answers err) */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "vma_floor.h"

#define MAX_SAMPLES 100000
#define MAPS_BUF (16 << 20)
#define MAX_VMAS 200000

/* struct procmap_query (include/uapi/linux/fs.h, 6.11+): this host's headers predate it. */
struct procmap_query {
	__u64 size;
	__u64 query_flags;
	__u64 query_addr;
	__u64 vma_start;
	__u64 vma_end;
	__u64 vma_flags;
	__u64 vma_page_size;
	__u64 vma_offset;
	__u64 inode;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 vma_name_size;
	__u32 build_id_size;
	__u64 vma_name_addr;
	__u64 build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA 0x10

/* What a parse of one /proc/PID/maps line yields; the name points into the read buffer. */
struct parsed_vma {
	unsigned long start, end, offset, inode;
	unsigned int dev_major, dev_minor;
	char perms[4];
	const char *name;
	size_t name_len;
};

static struct bpf_object *obj;
static struct bpf_program *prog;
static struct bpf_map *bss;
static const char *load_error = "no BPF object given";
static char *maps_buf;
static struct parsed_vma *vmas;
static char name_buf[4096];
static unsigned long long kernel_ns[MAX_SAMPLES], wall_ns[MAX_SAMPLES];

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN && getenv("VMA_FLOOR_DEBUG") ? vfprintf(stderr, fmt, args) : 0;
}

static void print_samples(const unsigned long long *s, int n)
{
	if (!s) {
		printf(" -");
		return;
	}
	for (int i = 0; i < n; i++)
		printf("%c%llu", i ? ',' : ' ', s[i]);
}

static void answer(long vma_count, const unsigned long long *kern, const unsigned long long *wall, int n)
{
	printf("ok %ld", vma_count);
	print_samples(kern, n);
	print_samples(wall, n);
	printf("\n");
	fflush(stdout);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("err ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int load_object(const char *path)
{
	struct bpf_map *m;

	libbpf_set_print(quiet_print);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		load_error = "cannot open the BPF object";
		return -1;
	}
	prog = bpf_object__find_program_by_name(obj, "vma_floor");
	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t len = strlen(name);

		if (len >= 4 && !strcmp(name + len - 4, ".bss"))
			bss = m;
	}
	if (!prog || !bss) {
		load_error = "the object has no vma_floor program or no .bss";
		return -1;
	}
	if (bpf_object__load(obj)) {
		load_error = "the kernel refused vma_floor.bpf.o (no bpf_iter_task_vma_new before 6.7?)";
		return -1;
	}
	load_error = NULL;
	return 0;
}

static int read_state(struct vma_floor_state *st)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(bpf_map__fd(bss), &zero, st);
}

static int run_stats(unsigned long long *run_ns, unsigned long long *runs)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return -1;
	*run_ns = info.run_time_ns;
	*runs = info.run_cnt;
	return 0;
}

/* Attach with the pid filter (6.1+), read the iterator to its end (that runs the program), detach. */
static int walk_once(int pid)
{
	LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info linfo = {};
	struct bpf_link *link;
	char buf[4096];
	int fd, n;

	linfo.task.pid = pid;
	opts.link_info = &linfo;
	opts.link_info_len = sizeof(linfo);
	link = bpf_program__attach_iter(prog, &opts);
	if (!link)
		return -1;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		bpf_link__destroy(link);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	bpf_link__destroy(link);
	return n;
}

static void cmd_iter(int pid, int n)
{
	struct vma_floor_state st = { .target_tgid = pid };
	__u32 zero = 0;

	if (load_error) {
		fail("%s", load_error);
		return;
	}
	if (bpf_map_update_elem(bpf_map__fd(bss), &zero, &st, BPF_ANY)) {
		fail("setting the target: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		unsigned long long ns0, ns1, runs0, runs1, t0, t1;

		if (run_stats(&ns0, &runs0)) {
			fail("BPF_OBJ_GET_INFO_BY_FD: %s", strerror(errno));
			return;
		}
		t0 = now_ns();
		if (walk_once(pid)) {
			fail("walking %d: %s", pid, strerror(errno));
			return;
		}
		t1 = now_ns();
		run_stats(&ns1, &runs1);
		if (runs1 == runs0) {
			fail("run_cnt did not move: BPF run-time statistics are off");
			return;
		}
		kernel_ns[i] = ns1 - ns0;
		wall_ns[i] = t1 - t0;
	}
	if (read_state(&st) || st.error) {
		fail("the walk of %d failed: %d", pid, st.error);
		return;
	}
	answer((long)st.vma_count, kernel_ns, wall_ns, n);
}

static const char *hex(const char *p, unsigned long *v)
{
	unsigned long x = 0;

	for (;; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		x = x << 4 | d;
	}
	*v = x;
	return p;
}

/* One line of fs/proc/task_mmu.c's format: start-end perms offset major:minor inode [name]. */
static const char *parse_line(const char *p, const char *end, struct parsed_vma *v)
{
	unsigned long major, minor;
	const char *nl;

	p = hex(p, &v->start) + 1;
	p = hex(p, &v->end) + 1;
	memcpy(v->perms, p, 4);
	p = hex(p + 5, &v->offset) + 1;
	p = hex(p, &major) + 1;
	p = hex(p, &minor) + 1;
	v->dev_major = major;
	v->dev_minor = minor;
	v->inode = 0;
	while (*p >= '0' && *p <= '9')
		v->inode = v->inode * 10 + (*p++ - '0');
	while (*p == ' ')
		p++;
	nl = memchr(p, '\n', end - p);
	if (!nl)
		nl = end;
	v->name = p;
	v->name_len = nl - p;
	return nl + 1;
}

static long maps_once(int pid)
{
	char path[64];
	size_t len = 0;
	ssize_t n;
	long count = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, maps_buf + len, MAPS_BUF - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -1;
	for (const char *p = maps_buf, *end = maps_buf + len; p < end && count < MAX_VMAS; count++)
		p = parse_line(p, end, &vmas[count]);
	return count;
}

static long query_once(int pid)
{
	struct procmap_query q;
	char path[64];
	unsigned long addr = 0;
	long count = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA;
		q.query_addr = addr;
		q.vma_name_size = sizeof(name_buf);
		q.vma_name_addr = (unsigned long)name_buf;
		if (ioctl(fd, PROCMAP_QUERY, &q)) {
			if (errno == ENOENT)
				break;
			close(fd);
			return -1;
		}
		vmas[count % MAX_VMAS].start = q.vma_start;
		vmas[count % MAX_VMAS].end = q.vma_end;
		count++;
		addr = q.vma_end;
	}
	close(fd);
	return count;
}

static void cmd_timed(long (*once)(int), const char *what, int pid, int n)
{
	long count = 0;

	for (int i = 0; i < n; i++) {
		unsigned long long t0 = now_ns();

		count = once(pid);
		wall_ns[i] = now_ns() - t0;
		if (count < 0) {
			fail("%s of %d: %s", what, pid, strerror(errno));
			return;
		}
	}
	answer(count, NULL, wall_ns, n);
}

int main(int argc, char **argv)
{
	char line[256], cmd[16];
	int pid, n, stats_fd;

	maps_buf = malloc(MAPS_BUF);
	vmas = calloc(MAX_VMAS, sizeof(*vmas));
	if (!maps_buf || !vmas)
		return 1;
	/* Run-time statistics stay on while this fd is open (the kernel counts its users). */
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (argc > 1 && load_object(argv[1]) == 0 && stats_fd < 0)
		load_error = "BPF_ENABLE_STATS failed: no run-time statistics";
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%15s %d %d", cmd, &pid, &n) != 3) {
			if (!strncmp(line, "quit", 4))
				break;
			fail("unknown command: %s", line);
			continue;
		}
		if (n < 1 || n > MAX_SAMPLES)
			fail("count out of range: %d", n);
		else if (!strcmp(cmd, "iter"))
			cmd_iter(pid, n);
		else if (!strcmp(cmd, "maps"))
			cmd_timed(maps_once, "reading /proc/PID/maps", pid, n);
		else if (!strcmp(cmd, "query"))
			cmd_timed(query_once, "PROCMAP_QUERY", pid, n);
		else
			fail("unknown command: %s", cmd);
	}
	bpf_object__close(obj);
	if (stats_fd >= 0)
		close(stats_fd);
	return 0;
}
