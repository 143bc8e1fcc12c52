/* Results of capability probes, read by the kernel bundle (io.mapsnap.kernel.capability).
 * A probe program writes its return code into the .bss of its object; Java reads it by
 * looking the .bss map up at key 0 (libbpf 1.1 does not mmap .bss without a skeleton). */
#ifndef MAPSNAP_PROBE_H
#define MAPSNAP_PROBE_H

#include <linux/types.h>

/* Layout of each probe object's .bss: keep in step with ProbeResult.java. */
struct mapsnap_probe_result {
	__s64 code;    /* return code of the call under test (0 = success, -errno otherwise) */
	__u64 runs;    /* how many times the program ran in the target context */
};

#endif
