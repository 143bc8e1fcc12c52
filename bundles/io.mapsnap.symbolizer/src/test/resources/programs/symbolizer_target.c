/* A program with known functions for the symbolizer tests, built at test time in several variants (PIE, non-PIE,
 * stripped, MiniDebugInfo). With --serve it prints where main and libc's getpid are, then waits for stdin to close,
 * so a test can snapshot its memory map while it lives. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile long sink;

__attribute__((noinline)) long leaf_sum(long n) {
    long s = 0;
    for (long i = 0; i < n; i++) {
        s += i * 3 + (s >> 2);
    }
    return s;
}

__attribute__((noinline)) static long local_mix(long a, long b) {
    long r = a;
    for (int i = 0; i < 8; i++) {
        r = r * 31 + b + (r >> 7);
    }
    return r;
}

__attribute__((noinline)) long middle_caller(long n) {
    return local_mix(leaf_sum(n), n) + leaf_sum(n / 2);
}

__attribute__((noinline)) long exported_entry(long n) {
    sink = middle_caller(n);
    return sink;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--serve") == 0) {
        printf("main %p\n", (void *) &main);
        printf("getpid %p\n", (void *) &getpid);
        printf("ready\n");
        fflush(stdout);
        char buf[64];
        while (read(0, buf, sizeof buf) > 0) {
        }
        return 0;
    }
    exported_entry(argc * 1000);
    return 0;
}
