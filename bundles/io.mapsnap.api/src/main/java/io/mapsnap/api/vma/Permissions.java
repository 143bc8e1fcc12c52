package io.mapsnap.api.vma;

/**
 * A mapping's access rights as /proc/PID/maps shows them ({@code r-xp}).
 *
 * @param read readable
 * @param write writable
 * @param execute executable
 * @param shared shared (s) rather than private copy-on-write (p)
 */
public record Permissions(boolean read, boolean write, boolean execute, boolean shared) {
    // vm_flags bits, unchanged since Linux 2.6 (include/linux/mm.h).
    private static final long VM_READ = 0x1;
    private static final long VM_WRITE = 0x2;
    private static final long VM_EXEC = 0x4;
    private static final long VM_MAYSHARE = 0x80;

    /** From a VMA's vm_flags, the way the kernel's show_map_vma prints them (shared means VM_MAYSHARE). */
    public static Permissions fromVmFlags(long vmFlags) {
        return new Permissions((vmFlags & VM_READ) != 0, (vmFlags & VM_WRITE) != 0, (vmFlags & VM_EXEC) != 0,
                (vmFlags & VM_MAYSHARE) != 0);
    }

    /** From the four characters /proc/PID/maps prints, e.g. {@code r-xp}. */
    public static Permissions parse(String text) {
        if (text.length() != 4 || "r-".indexOf(text.charAt(0)) < 0 || "w-".indexOf(text.charAt(1)) < 0
                || "x-".indexOf(text.charAt(2)) < 0 || "sp".indexOf(text.charAt(3)) < 0) {
            throw new IllegalArgumentException("not a permission field: '" + text + "'");
        }
        return new Permissions(text.charAt(0) == 'r', text.charAt(1) == 'w', text.charAt(2) == 'x',
                text.charAt(3) == 's');
    }

    @Override
    public String toString() {
        return (read ? "r" : "-") + (write ? "w" : "-") + (execute ? "x" : "-") + (shared ? "s" : "p");
    }
}
