package io.mapsnap.symbolizer;

/** An ELF file the reader refuses: malformed, truncated, hostile or over a bound. Carries where it went wrong. */
final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final long offset;

    ElfFormatException(String problem, long offset) {
        super(problem + " (at file offset 0x" + Long.toHexString(offset) + ")");
        this.problem = problem;
        this.offset = offset;
    }

    /** What is wrong, without the offset. */
    String problem() {
        return problem;
    }

    /** The file offset of the offending structure. */
    long offset() {
        return offset;
    }
}
