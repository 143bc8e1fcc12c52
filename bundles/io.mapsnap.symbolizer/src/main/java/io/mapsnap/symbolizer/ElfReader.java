package io.mapsnap.symbolizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads the parts of a little-endian ELF64 file a symbolizer needs: PT_LOAD and PT_NOTE program headers, section
 * headers, the GNU build ID and function symbols. Written for hostile input: every count, offset and size is
 * checked against the file and against a bound before anything is allocated, every loop is bounded by a size
 * that was checked, and each section link is followed once (so link cycles cannot loop). Any violation is an
 * {@link ElfFormatException}; I/O problems are {@link IOException}s; nothing else escapes.
 *
 * <p>Only ELF64 little-endian (x86_64, aarch64) is accepted: the layout does not depend on the machine, so no
 * machine check is made.
 */
final class ElfReader {
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    static final int NT_GNU_BUILD_ID = 3;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_XINDEX = 0xffff;

    /** Real files have about a dozen; the format allows 65535 of up to 64 KiB each. */
    static final int MAX_PROGRAM_HEADERS = 4096;
    /** Extended section numbering allows 2^32; big C++ objects reach tens of thousands. */
    static final int MAX_SECTIONS = 1 << 17;
    static final int MAX_HEADER_ENTRY = 1024;
    static final int MAX_SECTION_NAMES = 1 << 20;
    static final int MAX_NOTES_BYTES = 1 << 16;
    static final int MAX_BUILD_ID = 64;
    /** Symbol tables are read in chunks of this many entries. */
    private static final int SYMBOL_CHUNK = 4096;
    private static final int SYMBOL_SIZE = 24;
    private static final int MAX_NAME = 4096;

    private final ElfBytes bytes;
    private final List<LoadSegment> loads;
    private final List<long[]> notes;
    private final List<ElfSection> sections;

    private ElfReader(ElfBytes bytes, List<LoadSegment> loads, List<long[]> notes, List<ElfSection> sections) {
        this.bytes = bytes;
        this.loads = loads;
        this.notes = notes;
        this.sections = sections;
    }

    /** Reads and checks the file header, the program headers and the section headers. */
    static ElfReader read(ElfBytes bytes) throws IOException, ElfFormatException {
        if (bytes.size() < 64) {
            throw new ElfFormatException("shorter than an ELF64 header (" + bytes.size() + " bytes)", 0);
        }
        ByteBuffer h = bytes.read(0, 64);
        if (h.getInt(0) != 0x464c457f) {
            throw new ElfFormatException("no ELF magic", 0);
        }
        if (h.get(4) != 2 || h.get(5) != 1) {
            throw new ElfFormatException("not ELF64 little-endian (class " + h.get(4) + ", data " + h.get(5) + ")", 4);
        }
        long phoff = h.getLong(32);
        long shoff = h.getLong(40);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        int shentsize = Short.toUnsignedInt(h.getShort(58));
        int shnum = Short.toUnsignedInt(h.getShort(60));
        int shstrndx = Short.toUnsignedInt(h.getShort(62));

        List<LoadSegment> loads = new ArrayList<>();
        List<long[]> notes = new ArrayList<>();
        if (phnum > 0) {
            ByteBuffer ph = table(bytes, "program header", phoff, phnum, phentsize, 56, MAX_PROGRAM_HEADERS);
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                int type = ph.getInt(at);
                long offset = ph.getLong(at + 8);
                long vaddr = ph.getLong(at + 16);
                long filesz = ph.getLong(at + 32);
                long align = ph.getLong(at + 48);
                if (type == PT_LOAD) {
                    loads.add(new LoadSegment(offset, vaddr, filesz));
                } else if (type == PT_NOTE) {
                    notes.add(new long[] {offset, filesz, align});
                }
            }
        }
        return new ElfReader(bytes, List.copyOf(loads), List.copyOf(notes),
                sections(bytes, shoff, shnum, shentsize, shstrndx));
    }

    private static List<ElfSection> sections(ElfBytes bytes, long shoff, int shnum, int shentsize, int shstrndx)
            throws IOException, ElfFormatException {
        if (shoff == 0) {
            return List.of();
        }
        long count = shnum;
        int namesIndex = shstrndx;
        if (shnum == 0 || shstrndx == SHN_XINDEX) {
            // Extended numbering: section 0's sh_size holds the count, its sh_link the name table's index.
            ByteBuffer zero = table(bytes, "section header", shoff, 1, shentsize, 64, MAX_SECTIONS);
            if (shnum == 0) {
                count = zero.getLong(32);
            }
            if (shstrndx == SHN_XINDEX) {
                namesIndex = zero.getInt(40);
            }
        }
        if (count == 0) {
            return List.of();
        }
        if (count < 0 || count > MAX_SECTIONS) {
            throw new ElfFormatException("section count " + Long.toUnsignedString(count) + " over " + MAX_SECTIONS, shoff);
        }
        int n = (int) count;
        ByteBuffer sh = table(bytes, "section header", shoff, n, shentsize, 64, MAX_SECTIONS);
        byte[] names = new byte[0];
        if (namesIndex > 0 && namesIndex < n) {
            int at = namesIndex * shentsize;
            names = readBounded(bytes, "section name table", sh.getLong(at + 24), sh.getLong(at + 32), MAX_SECTION_NAMES);
        }
        List<ElfSection> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = i * shentsize;
            out.add(new ElfSection(i, string(names, Integer.toUnsignedLong(sh.getInt(at)), 256), sh.getInt(at + 4),
                    sh.getLong(at + 16), sh.getLong(at + 24), sh.getLong(at + 32), sh.getInt(at + 40), sh.getLong(at + 56)));
        }
        return List.copyOf(out);
    }

    /** {@code count} entries of {@code entrySize} bytes each at {@code offset}, checked and bounded. */
    private static ByteBuffer table(ElfBytes bytes, String what, long offset, long count, int entrySize, int minEntry,
            int maxCount) throws IOException, ElfFormatException {
        if (entrySize < minEntry || entrySize > MAX_HEADER_ENTRY) {
            throw new ElfFormatException(what + " entry size " + entrySize + " outside " + minEntry + ".." + MAX_HEADER_ENTRY, offset);
        }
        if (count > maxCount) {
            throw new ElfFormatException(count + " " + what + "s, over " + maxCount, offset);
        }
        long length = count * entrySize;
        if (!ElfBytes.inside(offset, length, bytes.size())) {
            throw new ElfFormatException(what + " table of " + length + " bytes outside the file", offset);
        }
        return bytes.read(offset, (int) length);
    }

    /** {@code size} bytes at {@code offset}, refused when outside the file or over {@code max}. */
    static byte[] readBounded(ElfBytes bytes, String what, long offset, long size, int max)
            throws IOException, ElfFormatException {
        if (size < 0 || size > max) {
            throw new ElfFormatException(what + " of " + Long.toUnsignedString(size) + " bytes over the bound of " + max, offset);
        }
        if (!ElfBytes.inside(offset, size, bytes.size())) {
            throw new ElfFormatException(what + " of " + size + " bytes outside the file", offset);
        }
        ByteBuffer b = bytes.read(offset, (int) size);
        byte[] out = new byte[(int) size];
        b.get(out);
        return out;
    }

    /** The NUL-terminated string at {@code offset} of {@code table}, cut at {@code max} bytes; "" when outside. */
    static String string(byte[] table, long offset, int max) {
        if (offset < 0 || offset >= table.length) {
            return "";
        }
        int start = (int) offset;
        int end = start;
        int limit = (int) Math.min(table.length, (long) start + max);
        while (end < limit && table[end] != 0) {
            end++;
        }
        return new String(table, start, end - start, StandardCharsets.UTF_8);
    }

    List<LoadSegment> loadSegments() {
        return loads;
    }

    List<ElfSection> sections() {
        return sections;
    }

    Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    Optional<ElfSection> sectionOfType(int type) {
        return sections.stream().filter(s -> s.type() == type).findFirst();
    }

    ElfBytes bytes() {
        return bytes;
    }

    /**
     * The NT_GNU_BUILD_ID as lower-case hex, from the PT_NOTE segments, else from SHT_NOTE sections (a debug file
     * keeps the note section but its segments point at stripped data), or {@code null} when there is none.
     */
    String buildId() throws IOException, ElfFormatException {
        for (long[] note : notes) {
            String id = buildIdIn(note[0], note[1], note[2]);
            if (id != null) {
                return id;
            }
        }
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_NOTE) {
                String id = buildIdIn(s.offset(), s.size(), 4);
                if (id != null) {
                    return id;
                }
            }
        }
        return null;
    }

    private String buildIdIn(long offset, long size, long align) throws IOException, ElfFormatException {
        if (size <= 0 || !ElfBytes.inside(offset, size, bytes.size())) {
            return null;
        }
        // Notes are 4-aligned, or 8-aligned in segments that say so (.note.gnu.property on x86_64).
        int alignment = align == 8 ? 8 : 4;
        byte[] data = readBounded(bytes, "note segment", offset, Math.min(size, MAX_NOTES_BYTES), MAX_NOTES_BYTES);
        ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long at = 0;
        // Each note takes at least 12 bytes, so this ends within data.length / 12 rounds.
        while (at + 12 <= data.length) {
            long namesz = Integer.toUnsignedLong(b.getInt((int) at));
            long descsz = Integer.toUnsignedLong(b.getInt((int) at + 4));
            int type = b.getInt((int) at + 8);
            long name = at + 12;
            long desc = name + roundUp(namesz, alignment);
            long next = desc + roundUp(descsz, alignment);
            if (desc + descsz > data.length) {
                return null;
            }
            if (type == NT_GNU_BUILD_ID && namesz == 4 && data[(int) name] == 'G' && data[(int) name + 1] == 'N'
                    && data[(int) name + 2] == 'U' && descsz > 0 && descsz <= MAX_BUILD_ID) {
                return HexFormat.of().formatHex(data, (int) desc, (int) (desc + descsz));
            }
            at = next;
        }
        return null;
    }

    private static long roundUp(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /**
     * Adds the function symbols (STT_FUNC and STT_GNU_IFUNC, defined, non-zero address) of symbol table
     * {@code table} to {@code out}. The table and its linked string table are bounded by {@code limits}.
     */
    void addFunctions(ElfSection table, FunctionTable.Builder out, ElfLimits limits) throws IOException, ElfFormatException {
        if (table.type() == ElfSection.SHT_NOBITS || table.size() == 0) {
            return;
        }
        if (table.entrySize() != SYMBOL_SIZE) {
            throw new ElfFormatException(table.name() + " entry size " + table.entrySize() + " is not 24", table.offset());
        }
        if (table.size() < 0 || table.size() > limits.symbolTableBytes()) {
            throw new ElfFormatException(table.name() + " of " + Long.toUnsignedString(table.size()) + " bytes over the bound of "
                    + limits.symbolTableBytes(), table.offset());
        }
        if (!ElfBytes.inside(table.offset(), table.size(), bytes.size())) {
            throw new ElfFormatException(table.name() + " outside the file", table.offset());
        }
        if (table.link() <= 0 || table.link() >= sections.size() || table.link() == table.index()) {
            throw new ElfFormatException(table.name() + " links to section " + table.link() + ", not a string table", table.offset());
        }
        ElfSection strings = sections.get(table.link());
        if (strings.type() != ElfSection.SHT_STRTAB) {
            throw new ElfFormatException(table.name() + " links to " + strings.name() + " of type " + strings.type(), strings.offset());
        }
        byte[] names = readBounded(bytes, strings.name(), strings.offset(), strings.size(), limits.stringTableBytes());
        long count = table.size() / SYMBOL_SIZE;
        for (long first = 0; first < count; first += SYMBOL_CHUNK) {
            int n = (int) Math.min(SYMBOL_CHUNK, count - first);
            ByteBuffer chunk = bytes.read(table.offset() + first * SYMBOL_SIZE, n * SYMBOL_SIZE);
            for (int i = 0; i < n; i++) {
                int at = i * SYMBOL_SIZE;
                int info = chunk.get(at + 4) & 0xff;
                int type = info & 0xf;
                int shndx = Short.toUnsignedInt(chunk.getShort(at + 6));
                long value = chunk.getLong(at + 8);
                if ((type != STT_FUNC && type != STT_GNU_IFUNC) || shndx == SHN_UNDEF || value == 0) {
                    continue;
                }
                long nameOffset = Integer.toUnsignedLong(chunk.getInt(at));
                if (nameOffset == 0 || nameOffset >= names.length) {
                    continue;
                }
                out.add(value, chunk.getLong(at + 16), info >>> 4, names, (int) nameOffset, MAX_NAME);
            }
            if (out.size() > limits.functions()) {
                throw new ElfFormatException("more than " + limits.functions() + " function symbols", table.offset());
            }
        }
    }
}
