package io.mapsnap.procfs;

import java.util.ArrayList;
import java.util.List;

import io.mapsnap.api.vma.Permissions;
import io.mapsnap.api.vma.Vma;

/**
 * Parses the text of /proc/PID/maps. The text is untrusted input as far as this parser is concerned:
 * every malformed line is rejected with its line number and content, never half-read.
 */
final class ProcMapsParser {
    private ProcMapsParser() {
    }

    static List<Vma> parse(String text) {
        List<Vma> vmas = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            // [vsyscall] is the kernel's legacy gate page, printed by /proc but not a VMA of the process's
            // mm: no BPF walker sees it, and every source reports the same record set.
            if (line.endsWith(" [vsyscall]")) {
                continue;
            }
            try {
                vmas.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("/proc maps line " + lineNo + " malformed (" + e.getMessage()
                        + "): '" + line + "'", e);
            }
        }
        return vmas;
    }

    /** {@code start-end perms offset major:minor inode [padding path]}. */
    static Vma parseLine(String line) {
        int[] pos = {0};
        String range = field(line, pos);
        String perms = field(line, pos);
        String offset = field(line, pos);
        String dev = field(line, pos);
        String inode = field(line, pos);
        int dash = range.indexOf('-');
        int colon = dev.indexOf(':');
        if (dash <= 0 || colon <= 0) {
            throw new IllegalArgumentException("bad address range or device");
        }
        // The name starts after the padding; seq_path wrote newlines in it as \012.
        int p = pos[0];
        while (p < line.length() && line.charAt(p) == ' ') {
            p++;
        }
        String path = line.substring(p).replace("\\012", "\n");
        return new Vma(Long.parseUnsignedLong(range, 0, dash, 16),
                Long.parseUnsignedLong(range, dash + 1, range.length(), 16),
                Long.parseUnsignedLong(offset, 16), Permissions.parse(perms),
                Integer.parseInt(dev, 0, colon, 16), Integer.parseInt(dev, colon + 1, dev.length(), 16),
                Long.parseUnsignedLong(inode), path, null);
    }

    private static String field(String line, int[] pos) {
        int start = pos[0];
        int space = line.indexOf(' ', start);
        if (space < 0) {
            space = line.length();
        }
        if (space == start) {
            throw new IllegalArgumentException("missing field at column " + start);
        }
        pos[0] = Math.min(space + 1, line.length());
        return line.substring(start, space);
    }
}
