package io.mapsnap.kernel.vma;

/**
 * Byte offsets of the structs in bpf-programs/include/mapsnap_records.h. Keep in step with that header: every
 * record starts with its kind, so a drift fails loudly as an unknown kind instead of misreading.
 */
final class VmaRecordLayout {
    private VmaRecordLayout() {
    }

    static final int COMM_LEN = 16;
    static final int PATH_MAX = 256;
    static final int PATH_DEPTH = 8;
    static final int NAME_MAX = 64;
    static final int NAMES_MAX = 4096;

    // enum mapsnap_record_kind
    static final int REC_HEADER = 1;
    static final int REC_VMA = 2;
    static final int REC_TRAILER = 3;
    // The kind word: kind in the low bits, the walk id above (0 for one-walk-at-a-time walkers).
    static final int REC_KIND_BITS = 8;
    static final int REC_KIND_MASK = 0xff;

    // struct mapsnap_snapshot_header
    static final int H_TGID = 4;
    static final int H_PID = 8;
    static final int H_ERROR = 12;
    static final int H_TAKEN_NS = 16;
    static final int H_START_BOOTTIME = 24;
    static final int H_MM = 32;
    static final int H_START_BRK = 40;
    static final int H_BRK = 48;
    static final int H_START_STACK = 56;
    static final int H_MAP_COUNT = 64;
    static final int H_TRIGGER = 68;
    static final int H_COMM = 72;
    static final int HEADER_SIZE = 88;

    // struct mapsnap_vma
    static final int V_DEV = 4;
    static final int V_START = 8;
    static final int V_END = 16;
    static final int V_PGOFF = 24;
    static final int V_INODE = 32;
    static final int V_FLAGS = 40;
    static final int V_PATH_KIND = 48;
    static final int V_PATH_LEN = 52;
    static final int V_DEPTH = 56; // __u16
    static final int V_PATH_FLAGS = 58; // __u16
    static final int V_SIZE = 60;
    // path[], names[][] and packed_names[] share the payload area (a union); records carry only the part they use.
    static final int V_PATH = 64;
    static final int V_NAMES = 64;
    static final int V_PACKED_NAMES = 64;
    static final int VMA_FIXED = 64;
    static final int VMA_MAX = VMA_FIXED + NAMES_MAX;

    // struct mapsnap_snapshot_trailer
    static final int T_VMA_COUNT = 4;
    static final int T_FLAGS = 8;
    static final int TRAILER_SIZE = 16;

    static final int SNAPSHOT_TRUNCATED = 0x1;
    static final int SNAPSHOT_DROPPED = 0x2;

    // enum mapsnap_trigger
    static final int TRIGGER_ON_DEMAND = 0;
    static final int TRIGGER_FIRST_SEEN = 1;
    static final int TRIGGER_REFRESH = 2;
    static final int TRIGGER_EXEC = 3;
    static final int TRIGGER_EXIT = 4;
    static final int TRIGGER_IN_SAMPLE = 5;
    static final int TRIGGER_DEFERRED = 6;

    // enum mapsnap_path_kind
    static final int PATH_NONE = 0;
    static final int PATH_FULL = 1;
    static final int PATH_COMPONENTS = 2;
    static final int PATH_ERROR = 3;
    static final int PATH_SPECIAL = 4;
    static final int PATH_NAMES = 5;

    // path_flags of a NAMES record (MAPSNAP_PATH_F_*)
    static final int PATH_F_INCOMPLETE = 0x1;
    static final int PATH_F_DELETED = 0x2;
    static final int PATH_F_DNAME_ANON = 0x4;
    static final int PATH_F_DNAME_SIMPLE = 0x8;
    static final int PATH_F_DNAME_UNKNOWN = 0x10;
    static final int PATH_F_TOO_DEEP = 0x20;
    static final int PATH_F_TOO_LONG = 0x40;
    static final int PATH_F_READ_FAILED = 0x80;
    static final int PATH_F_DNAME_SOCKET = 0x100;
    static final int PATH_F_KNOWN = 0x1ff;
}
