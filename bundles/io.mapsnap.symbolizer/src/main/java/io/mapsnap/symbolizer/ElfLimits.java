package io.mapsnap.symbolizer;

/**
 * Bounds on what one ELF file may make the symbolizer allocate. Defaults hold the largest real binaries we know
 * (a browser with full symbols has about 1.5 M functions) while refusing a header that claims a 4 GiB section.
 *
 * @param symbolTableBytes largest .symtab or .dynsym read (read in chunks, never whole)
 * @param stringTableBytes largest string table read (kept whole: names are looked up by offset)
 * @param functions most function symbols kept per file
 * @param compressedDebugData largest .gnu_debugdata section read
 * @param decompressedDebugData largest MiniDebugInfo image after xz decompression
 * @param debugFileBytes largest separate debug file opened
 */
record ElfLimits(long symbolTableBytes, int stringTableBytes, int functions, int compressedDebugData,
        int decompressedDebugData, long debugFileBytes) {
    static final ElfLimits DEFAULT = new ElfLimits(256L << 20, 256 << 20, 4 << 20, 64 << 20, 256 << 20, 16L << 30);
}
