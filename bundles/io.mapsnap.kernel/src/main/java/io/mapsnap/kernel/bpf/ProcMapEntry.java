package io.mapsnap.kernel.bpf;

/**
 * One VMA as PROCMAP_QUERY reports it; the same fields as a line of /proc/PID/maps.
 *
 * @param start first address
 * @param end address after the last
 * @param flags PROCMAP_QUERY_VMA_* bits: {@link ProcMapQuery#READABLE}, {@link ProcMapQuery#WRITABLE},
 *              {@link ProcMapQuery#EXECUTABLE}, {@link ProcMapQuery#SHARED}
 * @param pageSize the VMA's page size
 * @param offset file offset in bytes (0 for anonymous memory)
 * @param inode inode number of the backing file (0 for anonymous)
 * @param devMajor device major of the backing file
 * @param devMinor device minor of the backing file
 * @param name path or pseudo name ({@code [heap]}, {@code [stack]}, {@code [vdso]}, {@code [anon:NAME]}), "" when
 *             none
 */
public record ProcMapEntry(long start, long end, int flags, long pageSize, long offset, long inode, int devMajor,
        int devMinor, String name) {

    /** The permission column of /proc/PID/maps, e.g. {@code r-xp}. */
    public String perms() {
        return "" + ((flags & ProcMapQuery.READABLE) != 0 ? 'r' : '-') + ((flags & ProcMapQuery.WRITABLE) != 0 ? 'w' : '-')
                + ((flags & ProcMapQuery.EXECUTABLE) != 0 ? 'x' : '-') + ((flags & ProcMapQuery.SHARED) != 0 ? 's' : 'p');
    }
}
