package io.mapsnap.symbolizer;

/**
 * A PT_LOAD program header: the file bytes [offset, offset + fileSize) appear at virtual address
 * {@code virtualAddress} of the ELF's link-time address space.
 */
record LoadSegment(long offset, long virtualAddress, long fileSize) {
    /** The link-time virtual address of {@code fileOffset}, or -1 when this segment does not hold it. */
    long toVirtualAddress(long fileOffset) {
        long delta = fileOffset - offset;
        return fileOffset >= offset && Long.compareUnsigned(delta, fileSize) < 0 ? virtualAddress + delta : -1;
    }
}
