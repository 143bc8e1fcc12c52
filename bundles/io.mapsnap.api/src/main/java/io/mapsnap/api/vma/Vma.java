package io.mapsnap.api.vma;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One virtual memory area of a process, with the fields /proc/PID/maps shows.
 *
 * @param start first address
 * @param end address after the last
 * @param offset file offset in bytes of {@code start} (vm_pgoff × page size)
 * @param permissions r/w/x and private/shared
 * @param deviceMajor major number of the file's device, 0 when anonymous
 * @param deviceMinor minor number of the file's device
 * @param inode the file's inode, 0 when anonymous
 * @param path the file path, a pseudo name ({@code [heap]}, {@code [stack]}, {@code [vdso]}, {@code [vvar]},
 *        {@code [anon:name]}), or the empty string for an anonymous mapping
 * @param buildId the ELF build ID of the mapped file where the source got it cheaply, otherwise {@code null}
 */
public record Vma(long start, long end, long offset, Permissions permissions, int deviceMajor, int deviceMinor,
        long inode, String path, byte[] buildId) {

    public Vma {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(path, "path");
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new IllegalArgumentException(String.format("empty or inverted VMA %x-%x", start, end));
        }
        buildId = buildId == null ? null : buildId.clone();
    }

    /** Whether {@code address} lies in this VMA. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    /** Whether the VMA maps a file (rather than anonymous memory or a kernel pseudo mapping). */
    public boolean isFileBacked() {
        return inode != 0 || path.startsWith("/");
    }

    @Override
    public byte[] buildId() {
        return buildId == null ? null : buildId.clone();
    }

    /** The build ID as lower-case hex, or {@code null}. */
    public String buildIdHex() {
        return buildId == null ? null : HexFormat.of().formatHex(buildId);
    }

    /**
     * The line /proc/PID/maps prints for this VMA, byte for byte (without the newline): fields as in the
     * kernel's show_vma_header_prefix, the name padded to column 73, a trailing space on unnamed mappings.
     */
    public String toProcMapsLine() {
        String prefix = String.format("%08x-%08x %s %08x %02x:%02x %d ", start, end, permissions, offset,
                deviceMajor, deviceMinor, inode);
        if (path.isEmpty()) {
            return prefix;
        }
        // seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) then seq_pad(m, ' '): pad to 72, then one space.
        StringBuilder line = new StringBuilder(prefix);
        while (line.length() < 72) {
            line.append(' ');
        }
        // seq_path escapes newlines in names as \012.
        return line.append(' ').append(path.replace("\n", "\\012")).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vma v && start == v.start && end == v.end && offset == v.offset
                && permissions.equals(v.permissions) && deviceMajor == v.deviceMajor && deviceMinor == v.deviceMinor
                && inode == v.inode && path.equals(v.path) && java.util.Arrays.equals(buildId, v.buildId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, offset, permissions, deviceMajor, deviceMinor, inode, path)
                * 31 + java.util.Arrays.hashCode(buildId);
    }

    @Override
    public String toString() {
        return toProcMapsLine().replaceAll(" {2,}", " ");
    }
}
