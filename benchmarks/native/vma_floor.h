/* What vma_floor.bpf.c and its loader vma_floor.c share: the program's one global, read and written
 * as the whole .bss value (Debian's libbpf 1.1 does not mmap .bss without a skeleton). */
#ifndef VMA_FLOOR_H
#define VMA_FLOOR_H

#include <linux/types.h>

struct vma_floor_state {
	__u32 target_tgid; /* set by the loader before each command */
	__s32 error;       /* bpf_iter_task_vma_new's return code of the last walk */
	__u64 vma_count;   /* VMAs the last walk saw */
};

#endif
