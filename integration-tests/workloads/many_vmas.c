/* A process with a known, large number of VMAs: N pages mapped as one region, then every other
 * page made read-only, which splits the region into N VMAs of alternating protections.
 * Prints "ready <first-address> <count>" and sleeps until stdin closes (so tests end it cleanly). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	long page = sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[1];

	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long i = 0; i < n; i += 2)
		if (mprotect(base + i * page, page, PROT_READ)) {
			perror("mprotect");
			return 1;
		}
	printf("ready %lx %ld\n", (unsigned long)base, n);
	fflush(stdout);
	while (read(0, buf, 1) > 0)
		;
	return 0;
}
