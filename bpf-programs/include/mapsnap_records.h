/* Record layouts shared by mapsnap's BPF programs and the Java code that reads them
 * (io.mapsnap.kernel.bpf.VmaRecordLayout mirrors this file; change both together).
 * Every field is naturally aligned and the structs have no implicit padding. */
#ifndef MAPSNAP_RECORDS_H
#define MAPSNAP_RECORDS_H

#include <linux/types.h>

#define MAPSNAP_COMM_LEN 16
#define MAPSNAP_PATH_MAX 256
/* COMPONENTS: dentry names kept by the legacy walkers (5.10 cannot afford more per VMA). */
#define MAPSNAP_PATH_DEPTH 8
#define MAPSNAP_NAME_MAX 64
/* NAMES: bytes of packed names a record can carry. Leaf-first NUL-terminated names take exactly as many bytes
 * as the "/"-joined path, so any path up to PATH_MAX fits. */
#define MAPSNAP_NAMES_MAX 4096
/* A dentry name with its NUL (NAME_MAX 255 + 1): what one read into the packed names may write. */
#define MAPSNAP_NAME_LEN 256

/* vm_flags bits, identical on every kernel since 2.6 (include/linux/mm.h). */
#define MAPSNAP_VM_READ   0x1
#define MAPSNAP_VM_WRITE  0x2
#define MAPSNAP_VM_EXEC   0x4
#define MAPSNAP_VM_SHARED 0x8

enum mapsnap_path_kind {
	MAPSNAP_PATH_NONE = 0,       /* anonymous: no vm_file */
	MAPSNAP_PATH_FULL = 1,       /* path[] holds the full path from bpf_d_path */
	MAPSNAP_PATH_COMPONENTS = 2, /* names[] holds dentry names, leaf first */
	MAPSNAP_PATH_ERROR = 3,      /* bpf_d_path failed: path_len holds its code */
	MAPSNAP_PATH_SPECIAL = 4,    /* path[] holds a special mapping's name: [vdso], [vvar], ... */
	MAPSNAP_PATH_NAMES = 5,      /* packed_names[] holds the path's names, leaf first, built from the dentry
				      * chain as d_path does (include/mapsnap_dentry_path.h); path_flags say how
				      * to print them */
};

/* path_flags of a NAMES record. A path that could not be completed is flagged INCOMPLETE, with the reason
 * beside it, and never passes for a whole one: user space marks it ("…" before what was read). */
#define MAPSNAP_PATH_F_INCOMPLETE    0x0001 /* the names do not reach the root, or are not what d_path prints */
#define MAPSNAP_PATH_F_DELETED       0x0002 /* d_unlinked: " (deleted)" follows, as d_path appends it */
#define MAPSNAP_PATH_F_DNAME_ANON    0x0004 /* d_op->d_dname is anon_inodefs_dname: "anon_inode:" + the one name */
#define MAPSNAP_PATH_F_DNAME_SIMPLE  0x0008 /* d_op->d_dname is simple_dname: "/" + the one name + " (deleted)" */
#define MAPSNAP_PATH_F_DNAME_UNKNOWN 0x0010 /* another d_dname: the one name is the dentry's own (INCOMPLETE) */
#define MAPSNAP_PATH_F_TOO_DEEP      0x0020 /* MAPSNAP_PATH_STEPS steps did not reach the root (INCOMPLETE) */
#define MAPSNAP_PATH_F_TOO_LONG      0x0040 /* the next name did not fit in MAPSNAP_NAMES_MAX (INCOMPLETE) */
#define MAPSNAP_PATH_F_READ_FAILED   0x0080 /* a dentry, mount or name could not be read (INCOMPLETE) */
#define MAPSNAP_PATH_F_DNAME_SOCKET  0x0100 /* d_op->d_dname is sockfs_dname: "socket:[INODE]" (packet rings,
					     * AF_XDP, TCP zero-copy receive) */

/* A snapshot stream is records, each starting with its kind: a header, the VMAs, a trailer.
 * The kind word's low 8 bits are the kind; the bits above are the walk id. Walkers that run
 * one walk at a time write 0 there; collectors walk on several CPUs at once (and a walk in a
 * preemptible hook can be interleaved with another on the same CPU), so their records arrive
 * interleaved and the reader regroups them by walk id. */
enum mapsnap_record_kind {
	MAPSNAP_REC_HEADER = 1,
	MAPSNAP_REC_VMA = 2,
	MAPSNAP_REC_TRAILER = 3,
};

#define MAPSNAP_REC_KIND_BITS 8
#define MAPSNAP_REC_KIND_MASK 0xff
#define MAPSNAP_WALK_ID_MAX 0xffffff

/* Why a collector walked (the header's trigger); 0 for on-demand snapshots. */
enum mapsnap_trigger {
	MAPSNAP_TRIGGER_ON_DEMAND = 0,
	MAPSNAP_TRIGGER_FIRST_SEEN = 1, /* the process's first system call in the collection */
	MAPSNAP_TRIGGER_REFRESH = 2,    /* its VMA count changed since the last walk */
	MAPSNAP_TRIGGER_EXEC = 3,       /* a new address space after exec */
	MAPSNAP_TRIGGER_EXIT = 4,       /* its last thread is exiting, before exit_mm() */
	MAPSNAP_TRIGGER_IN_SAMPLE = 5,  /* inside the sampling program */
	MAPSNAP_TRIGGER_DEFERRED = 6,   /* in the task on its return to user space, queued by a sample (task_work) */
};

/* What a snapshot says about the process before its VMAs. */
struct mapsnap_snapshot_header {
	__u32 kind;           /* MAPSNAP_REC_HEADER */
	__u32 tgid;
	__u32 pid;
	__s32 error;          /* 0, or why the walk could not start (e.g. -EBUSY from the iterator) */
	__u64 taken_ns;       /* bpf_ktime_get_boot_ns() */
	__u64 start_boottime; /* task->start_boottime, ns: with tgid, the process identity across pid reuse */
	__u64 mm;             /* address of the mm_struct: identity of the address space */
	__u64 start_brk;
	__u64 brk;
	__u64 start_stack;
	__u32 map_count;      /* mm->map_count when the walk began */
	__u32 trigger;        /* enum mapsnap_trigger */
	char comm[MAPSNAP_COMM_LEN];
};

/* One VMA. pgoff is in bytes (vm_pgoff << PAGE_SHIFT) for file mappings and 0 for anonymous
 * ones, as /proc/PID/maps prints it. Records are emitted with only the part of the name area
 * they use: `size` bytes, MAPSNAP_VMA_FIXED plus the payload (at most MAPSNAP_NAMES_MAX). */
struct mapsnap_vma {
	__u32 kind;          /* MAPSNAP_REC_VMA */
	__u32 dev;           /* kernel dev_t: major << 20 | minor */
	__u64 start;
	__u64 end;
	__u64 pgoff;
	__u64 inode;
	__u64 flags;         /* vm_flags */
	__u32 path_kind;     /* enum mapsnap_path_kind */
	__s32 path_len;      /* FULL/SPECIAL: bytes of path[] including the NUL; NAMES: bytes of packed_names[]
			      * used (each name's NUL included); ERROR: the error code */
	__u16 depth;         /* COMPONENTS: names[] used, leaf first; NAMES: names in packed_names[] */
	__u16 path_flags;    /* NAMES: MAPSNAP_PATH_F_*; 0 for the other kinds */
	__u32 size;          /* bytes emitted: MAPSNAP_VMA_FIXED + payload */
	union {
		char path[MAPSNAP_PATH_MAX];
		char names[MAPSNAP_PATH_DEPTH][MAPSNAP_NAME_MAX];
		/* NAMES: "libc.so.6\0x86_64-linux-gnu\0lib\0usr\0" for /usr/lib/x86_64-linux-gnu/libc.so.6; none for
		 * "/". The last MAPSNAP_NAME_LEN bytes are never emitted: they let the verifier accept a name read
		 * at any offset below MAPSNAP_NAMES_MAX. */
		char packed_names[MAPSNAP_NAMES_MAX + MAPSNAP_NAME_LEN];
	};
};

#define MAPSNAP_VMA_FIXED 64

/* What a snapshot says after its VMAs: lets the reader tell a complete walk from a cut one. */
struct mapsnap_snapshot_trailer {
	__u32 kind;          /* MAPSNAP_REC_TRAILER */
	__u32 vma_count;     /* records written */
	__u32 flags;         /* MAPSNAP_SNAPSHOT_* */
	__u32 reserved;
};

#define MAPSNAP_SNAPSHOT_TRUNCATED 0x1 /* the walk stopped at max_vmas */
#define MAPSNAP_SNAPSHOT_DROPPED   0x2 /* the ring buffer was full: some records of this walk are missing */

/* Walkers deliver records through a ring buffer: an iterator's seq_file takes at most 32 KiB
 * per task, about 40 full records, and a process can have tens of thousands of VMAs. */
#define MAPSNAP_WALK_RINGBUF_BYTES (8 << 20)

#endif
