package io.mapsnap.symbolizer;

import io.mapsnap.api.vma.Vma;

/** A file as the kernel names it: device (major, minor) and inode. What a VMA records of its file. */
record FileIdentity(int major, int minor, long inode) {
    static FileIdentity of(Vma vma) {
        return new FileIdentity(vma.deviceMajor(), vma.deviceMinor(), vma.inode());
    }

    /**
     * From the {@code unix:dev} attribute, which is the user-space dev_t in glibc's encoding (makedev in
     * sys/sysmacros.h): major in bits 8–19 and 32–63, minor in bits 0–7 and 20–31. Not the kernel's internal
     * {@code major << 20 | minor}.
     */
    static FileIdentity of(long dev, long inode) {
        int major = (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
        int minor = (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
        return new FileIdentity(major, minor, inode);
    }

    @Override
    public String toString() {
        return String.format("%02x:%02x inode %d", major, minor, inode);
    }
}
