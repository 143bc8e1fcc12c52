package io.mapsnap.symbolizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text symbols of the running kernel from /proc/kallsyms, sorted by address: the core kernel ({@code _stext} to
 * {@code _etext}) and loaded modules, BPF programs and trampolines, whose lines end in {@code [name]}. kallsyms has
 * no sizes: a symbol ends where the next one starts, a module's last symbol where the module ends
 * (/proc/modules), the core's last at {@code _etext}.
 */
final class KernelSymbols {
    /** The module field of core kernel frames. */
    static final String CORE = "[kernel]";
    /** How far past the last symbol of a module of unknown size an address is still attributed to it. */
    private static final long UNKNOWN_TAIL = 64 * 1024;

    record ModuleRange(String name, long start, long end) {
    }

    private final long[] addresses;
    private final String[] names;
    /** {@code null} for the core kernel. */
    private final String[] modules;
    private final long coreStart;
    private final long coreEnd;
    private final Map<String, ModuleRange> ranges;
    private final boolean hidden;

    private KernelSymbols(long[] addresses, String[] names, String[] modules, long coreStart, long coreEnd,
            Map<String, ModuleRange> ranges, boolean hidden) {
        this.addresses = addresses;
        this.names = names;
        this.modules = modules;
        this.coreStart = coreStart;
        this.coreEnd = coreEnd;
        this.ranges = ranges;
        this.hidden = hidden;
    }

    /**
     * Parses kallsyms text and the /proc/modules text (which gives module extents; empty when unknown), reading at
     * most {@code maxLines} lines of kallsyms.
     */
    static KernelSymbols parse(byte[] kallsyms, byte[] procModules, int maxLines) {
        record Sym(long address, String name, String module) {
        }
        List<Sym> syms = new ArrayList<>();
        Map<String, String> moduleNames = new HashMap<>();
        long coreStart = 0;
        long coreEnd = -1;
        boolean anyNonZero = false;
        int lines = 0;
        // Scanned as bytes: a regex split per line cost ~0.5 s for kallsyms' ~120,000 lines at start-up's tier.
        int[] f = new int[8]; // start and end of up to four fields
        for (int pos = 0; pos < kallsyms.length && lines < maxLines; lines++) {
            int eol = pos;
            while (eol < kallsyms.length && kallsyms[eol] != '\n') {
                eol++;
            }
            int fields = fields(kallsyms, pos, eol, f);
            pos = eol + 1;
            // "ffffffff81000000 T _stext" or "ffffffffc0a01000 t nft_do_chain\t[nf_tables]"
            if (fields < 3 || f[3] - f[2] != 1) {
                continue;
            }
            if (!isHex(kallsyms, f[0], f[1])) {
                continue;
            }
            long address = hex(kallsyms, f[0], f[1]);
            anyNonZero |= address != 0;
            String name = new String(kallsyms, f[4], f[5] - f[4], StandardCharsets.UTF_8);
            String module = null;
            if (fields == 4 && f[7] - f[6] >= 2 && kallsyms[f[6]] == '[' && kallsyms[f[7] - 1] == ']') {
                module = moduleNames.computeIfAbsent(
                        new String(kallsyms, f[6] + 1, f[7] - f[6] - 2, StandardCharsets.UTF_8), n -> n);
            }
            if (module == null && name.equals("_stext")) {
                coreStart = address;
            } else if (module == null && name.equals("_etext")) {
                coreEnd = address;
            }
            char type = Character.toLowerCase((char) kallsyms[f[2]]);
            // Text (t) and weak (w) symbols; data, bss, rodata and absolute symbols never hold an instruction.
            if (type == 't' || type == 'w') {
                syms.add(new Sym(address, name, module));
            }
        }
        syms.sort(Comparator.comparing(Sym::address, Long::compareUnsigned));
        long[] addresses = new long[syms.size()];
        String[] names = new String[syms.size()];
        String[] modules = new String[syms.size()];
        for (int i = 0; i < syms.size(); i++) {
            addresses[i] = syms.get(i).address();
            names[i] = syms.get(i).name();
            modules[i] = syms.get(i).module();
        }
        return new KernelSymbols(addresses, names, modules, coreStart, coreEnd, moduleRanges(procModules),
                !anyNonZero);
    }

    private static Map<String, ModuleRange> moduleRanges(byte[] procModules) {
        Map<String, ModuleRange> ranges = new HashMap<>();
        for (String line : lines(procModules)) {
            // "nf_tables 372736 0 - Live 0xffffffffc0a00000 (E)": name, size, refs, users, state, address
            String[] f = line.split(" ");
            if (f.length < 6 || !f[5].startsWith("0x")) {
                continue;
            }
            try {
                long size = Long.parseLong(f[1]);
                long start = Long.parseUnsignedLong(f[5].substring(2), 16);
                if (start != 0) {
                    ranges.put(f[0], new ModuleRange(f[0], start, start + size));
                }
            } catch (NumberFormatException ignored) {
                // A line in a format we do not know: that module's extent stays unknown.
            }
        }
        return ranges;
    }

    /**
     * Splits {@code text[from, to)} at runs of spaces and tabs into at most four fields, the fourth being the rest of
     * the line with its trailing blanks cut (as {@code split("[ \t]+", 4)} would); their bounds go to {@code bounds}
     * as start, end pairs. Returns the number of fields.
     */
    static int fields(byte[] text, int from, int to, int[] bounds) {
        int n = 0;
        int i = from;
        while (n < 4) {
            while (i < to && (text[i] == ' ' || text[i] == '\t')) {
                i++;
            }
            if (i >= to) {
                break;
            }
            int start = i;
            if (n == 3) {
                i = to;
                while (i > start && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r')) {
                    i--;
                }
            } else {
                while (i < to && text[i] != ' ' && text[i] != '\t') {
                    i++;
                }
            }
            bounds[2 * n] = start;
            bounds[2 * n + 1] = i;
            n++;
        }
        return n;
    }

    /** Whether {@code text[from, to)} is an unsigned 64-bit hex number: 1 to 16 hex digits. */
    static boolean isHex(byte[] text, int from, int to) {
        if (to <= from || to - from > 16) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(text[i], 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The hex number {@code text[from, to)}, which {@link #isHex} accepted. */
    static long hex(byte[] text, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v << 4 | Character.digit(text[i], 16);
        }
        return v;
    }

    private static List<String> lines(byte[] text) {
        return new String(text, StandardCharsets.UTF_8).lines().toList();
    }

    /** Whether every address is 0: kptr_restrict hides them from this process (no CAP_SYSLOG). */
    boolean hidden() {
        return hidden;
    }

    int size() {
        return addresses.length;
    }

    /** The module field for address's frame when found: {@link #CORE} or the module's name. */
    record KernelHit(String module, String function, long offset) {
    }

    /** The symbol holding {@code address}, or {@code null}. */
    KernelHit lookup(long address) {
        if (hidden) {
            return null;
        }
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        String module = modules[found];
        if (module == null) {
            // Past _etext lies data, then the module area: no core function there.
            if (Long.compareUnsigned(address, coreStart) < 0 || (coreEnd != -1 && Long.compareUnsigned(address, coreEnd) >= 0)) {
                return null;
            }
        } else {
            ModuleRange range = ranges.get(module);
            boolean inside = range != null ? Long.compareUnsigned(address, range.end()) < 0
                    : Long.compareUnsigned(address - addresses[found], UNKNOWN_TAIL) < 0 || found + 1 < addresses.length;
            if (!inside) {
                return null;
            }
        }
        return new KernelHit(module == null ? CORE : module, names[found], address - addresses[found]);
    }

    /** Whether {@code address} lies outside the core kernel text, where later-loaded modules and BPF programs go. */
    boolean outsideCore(long address) {
        return Long.compareUnsigned(address, coreStart) < 0 || (coreEnd != -1 && Long.compareUnsigned(address, coreEnd) >= 0);
    }
}
