package io.mapsnap.kernel.vma;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Looks kernel text symbols up in /proc/kallsyms (about 120,000 lines: one pass over its bytes, in chunks, for all
 * the names wanted, a String made only for a name of a wanted length).
 */
public final class KernelSymbolAddress {
    private KernelSymbolAddress() {
    }

    /**
     * The addresses of those {@code symbols} that are present; absent or hidden ones (kptr_restrict prints zeros)
     * are missing from the map, and so is everything when the file cannot be read.
     */
    public static Map<String, Long> of(Path kallsyms, Set<String> symbols) {
        boolean[] wantedLength = new boolean[256];
        for (String s : symbols) {
            if (s.length() < wantedLength.length) {
                wantedLength[s.length()] = true;
            }
        }
        Map<String, Long> found = new HashMap<>();
        // Read in chunks (kallsyms is ~5 MB: held whole, it would grow a small heap for good); a line cut by a
        // chunk's end moves to the next chunk's start.
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(kallsyms)) {
            int kept = 0;
            while (true) {
                int n = in.read(chunk, kept, chunk.length - kept);
                if (n < 0) {
                    scan(chunk, 0, kept, symbols, wantedLength, found);
                    return found;
                }
                int end = kept + n;
                int lastLine = end;
                while (lastLine > 0 && chunk[lastLine - 1] != '\n') {
                    lastLine--;
                }
                if (lastLine == 0 && end == chunk.length) {
                    return Map.of(); // a 64 KiB line: not kallsyms
                }
                scan(chunk, 0, lastLine, symbols, wantedLength, found);
                kept = end - lastLine;
                System.arraycopy(chunk, lastLine, chunk, 0, kept);
            }
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Looks at the whole lines of {@code text[from, to)}. */
    private static void scan(byte[] text, int from, int to, Set<String> symbols, boolean[] wantedLength,
            Map<String, Long> found) {
        for (int pos = from; pos < to;) {
            int eol = pos;
            while (eol < to && text[eol] != '\n') {
                eol++;
            }
            // "ffffffff81000000 T _stext", or with "\t[module]" after the name
            int space = indexOf(text, (byte) ' ', pos, eol);
            int name = space + 3;
            if (space > pos && name < eol && (text[space + 1] == 't' || text[space + 1] == 'T')
                    && text[space + 2] == ' ') {
                int end = name;
                while (end < eol && text[end] != '\t' && text[end] != ' ') {
                    end++;
                }
                if (end - name < wantedLength.length && wantedLength[end - name]) {
                    String symbol = new String(text, name, end - name, StandardCharsets.UTF_8);
                    long address = address(text, pos, space);
                    if (symbols.contains(symbol) && address != 0 && address != -1) {
                        found.putIfAbsent(symbol, address);
                    }
                }
            }
            pos = eol + 1;
        }
    }

    private static int indexOf(byte[] text, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The hex address {@code text[from, to)}; -1 when it is not 1 to 16 hex digits. */
    private static long address(byte[] text, int from, int to) {
        if (to - from < 1 || to - from > 16) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(text[i], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
