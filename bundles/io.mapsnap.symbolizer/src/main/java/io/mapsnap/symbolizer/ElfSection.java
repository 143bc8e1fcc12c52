package io.mapsnap.symbolizer;

/** One section header, with its name resolved; offsets and sizes are unchecked file values. */
record ElfSection(int index, String name, int type, long address, long offset, long size, int link, long entrySize) {
    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;
    static final int SHT_NOTE = 7;
    static final int SHT_NOBITS = 8;
    static final int SHT_DYNSYM = 11;
}
