/* The exited-process workload: a parent that runs COUNT children one after another, each a fresh
 * exec of this binary that burns CPU in functions of its own for about MS milliseconds and exits.
 * By the time a profiler symbolizes, every child is gone: only maps captured while it lived name
 * its frames.
 *
 * Usage: short_lived COUNT MS      prints "done N max_child_ms" when every child has exited
 *
 * The binary has its own _start (-nostartfiles) that clears the frame pointer before calling C:
 * every frame of a child's stack is then in this binary, and the frame-pointer chain ends cleanly
 * instead of running into libc's start code, which Debian builds without frame pointers and
 * without a symbol table (its frames could not be named with or without mapsnap). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__asm__(".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call short_lived_start\n"
	"	hlt\n"
	".size _start, . - _start\n");

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

volatile unsigned long short_lived_sink;

__attribute__((noinline)) void short_lived_leaf_alpha(void)
{
	for (int i = 0; i < 20000; i++)
		short_lived_sink += i * 7;
}

__attribute__((noinline)) void short_lived_leaf_beta(void)
{
	for (int i = 0; i < 20000; i++)
		short_lived_sink ^= i * 13;
}

__attribute__((noinline)) void short_lived_middle(void)
{
	short_lived_leaf_alpha();
	short_lived_leaf_beta();
}

__attribute__((noinline)) int short_lived_child(int ms)
{
	double end = now_ms() + ms;

	/* The clock is read through the PLT, which has no symbol: read it once per 20 rounds (about a millisecond),
	 * so nearly every sample of the child lies in its own named functions. */
	do {
		for (int i = 0; i < 20; i++)
			short_lived_middle();
	} while (now_ms() < end);
	return 0;
}

__attribute__((noinline)) int short_lived_parent(const char *self, int count, int ms)
{
	char arg[16];
	double longest = 0;

	snprintf(arg, sizeof(arg), "%d", ms);
	for (int i = 0; i < count; i++) {
		double started = now_ms();
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl(self, self, "child", arg, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, NULL, 0) != pid)
			return 1;
		if (now_ms() - started > longest)
			longest = now_ms() - started;
	}
	printf("done %d %.0f\n", count, longest);
	fflush(stdout);
	return 0;
}

__attribute__((noinline, used)) void short_lived_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	if (argc == 3 && strcmp(argv[1], "child") == 0)
		_exit(short_lived_child(atoi(argv[2])));
	if (argc != 3) {
		fprintf(stderr, "usage: short_lived COUNT MS\n");
		_exit(2);
	}
	/* exec by the real path, not /proc/self/exe: the children's comm is then "short_lived". */
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		_exit(1);
	self[n] = 0;
	_exit(short_lived_parent(self, atoi(argv[1]), atoi(argv[2])));
}
