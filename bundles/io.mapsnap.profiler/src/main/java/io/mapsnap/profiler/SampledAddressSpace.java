package io.mapsnap.profiler;

/**
 * One address space of a sampled process: the kernel's mm_struct address the sample ran in. A process that execs
 * keeps its identity and gets a new one, whose map a user-space collector must read again.
 */
record SampledAddressSpace(ProcessIdentity process, long mm) {
}
