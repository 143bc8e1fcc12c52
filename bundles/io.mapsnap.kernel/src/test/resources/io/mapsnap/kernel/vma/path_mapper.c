/* A process whose file mappings the dentry path tests choose: it maps what its arguments say, prints
 * "ready", and lives until its stdin closes. Compiled by the tests with gcc (MappedPathWorkload).
 *
 *   map PATH             open PATH read-only and map its first page (private)
 *   map-unlinked PATH    the same, then unlink PATH: /proc shows "PATH (deleted)"
 *   memfd NAME           memfd_create(NAME) and map it shared: "/memfd:NAME (deleted)"
 *   perf                 open a software perf event on itself and map its buffer: "anon_inode:[perf_event]"
 *   packet               map a packet socket's receive ring: "socket:[INODE]"
 *   shm                  attach a private SysV segment (removed at once, gone at exit): "/SYSV00000000 (deleted)"
 *   deep N LEN           make N nested directories with LEN-character names below the working directory, going
 *                        down with chdir (a path past PATH_MAX can only be reached relatively), and map the file
 *                        "f" created at the bottom
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "path_mapper: %s %s: ", what, arg);
	perror(NULL);
	exit(1);
}

static void map_fd(int fd, int flags, const char *what)
{
	if (mmap(NULL, 4096, PROT_READ, flags, fd, 0) == MAP_FAILED)
		die("mmap", what);
	close(fd);
}

static void map_file(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("open", path);
	map_fd(fd, MAP_PRIVATE, path);
}

static void deep(int levels, int len)
{
	char name[256];
	int fd;

	if (len < 1 || len > 255)
		die("deep: bad name length", "");
	for (int i = 0; i < levels; i++) {
		/* Names differ per level so that a path read out of order would show. */
		memset(name, 'a' + i % 26, len);
		name[len] = 0;
		if (mkdir(name, 0755) && errno != EEXIST)
			die("mkdir", name);
		if (chdir(name))
			die("chdir", name);
	}
	fd = open("f", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1)
		die("create", "f");
	map_fd(fd, MAP_PRIVATE, "f");
}

int main(int argc, char **argv)
{
	char buf[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "map") && i + 1 < argc) {
			map_file(argv[++i]);
		} else if (!strcmp(argv[i], "map-unlinked") && i + 1 < argc) {
			map_file(argv[++i]);
			if (unlink(argv[i]))
				die("unlink", argv[i]);
		} else if (!strcmp(argv[i], "memfd") && i + 1 < argc) {
			int fd = memfd_create(argv[++i], 0);

			if (fd < 0 || ftruncate(fd, 4096))
				die("memfd", argv[i]);
			map_fd(fd, MAP_SHARED, argv[i]);
		} else if (!strcmp(argv[i], "perf")) {
			struct perf_event_attr attr = {
				.type = PERF_TYPE_SOFTWARE,
				.size = sizeof(attr),
				.config = PERF_COUNT_SW_DUMMY,
				.disabled = 1,
			};
			int fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);

			if (fd < 0 || mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
				die("perf_event", "");
		} else if (!strcmp(argv[i], "packet")) {
			/* Protocol 0: the ring receives nothing, it only has to exist. */
			struct tpacket_req req = { .tp_block_size = 4096, .tp_block_nr = 1, .tp_frame_size = 2048,
						   .tp_frame_nr = 2 };
			int fd = socket(AF_PACKET, SOCK_RAW, 0);

			if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) ||
			    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
				die("packet socket", "");
		} else if (!strcmp(argv[i], "shm")) {
			int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);

			if (id < 0 || shmat(id, NULL, SHM_RDONLY) == (void *)-1)
				die("shm", "");
			shmctl(id, IPC_RMID, NULL);
		} else if (!strcmp(argv[i], "deep") && i + 2 < argc) {
			deep(atoi(argv[i + 1]), atoi(argv[i + 2]));
			i += 2;
		} else {
			die("unknown action", argv[i]);
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
