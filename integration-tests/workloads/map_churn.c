/* A process whose map changes all the time: a thread maps and unmaps regions of random size in a
 * loop while the main thread waits. Tests snapshot it concurrently and check that every snapshot is
 * well formed (sorted, disjoint, no duplicates) and keeps the stable mappings.
 * Prints "ready" and runs until stdin closes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int stop;

static void *churn(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned seed = 1;
	void *held[64] = {0};

	while (!stop) {
		int slot = rand_r(&seed) % 64;
		if (held[slot]) {
			munmap(held[slot], page * (1 + slot % 7));
			held[slot] = NULL;
		} else {
			held[slot] = mmap(NULL, page * (1 + slot % 7), slot % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (held[slot] == MAP_FAILED)
				held[slot] = NULL;
		}
	}
	return arg;
}

int main(void)
{
	pthread_t t;
	char buf[1];

	if (pthread_create(&t, NULL, churn, NULL))
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, 1) > 0)
		;
	stop = 1;
	pthread_join(t, NULL);
	return 0;
}
