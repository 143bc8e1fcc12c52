package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;
import io.mapsnap.kernel.bpf.ProcMapEntry;
import io.mapsnap.kernel.bpf.ProcMapQuery;

/** PROCMAP_QUERY answers against the lines /proc/PID/maps prints for the same VMAs (taken from the 6.18 host). */
class QueriedVmaTest {
    @Test
    void fileMappingKeepsOffsetDeviceInodeAndPath() {
        Vma v = QueriedVma.of(new ProcMapEntry(0x7fe969b0c000L, 0x7fe969c62000L,
                ProcMapQuery.READABLE | ProcMapQuery.EXECUTABLE, 4096, 0x26000, 339380, 0xfe, 0,
                "/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals("7fe969b0c000-7fe969c62000 r-xp 00026000 fe:00 339380                     "
                + "/usr/lib/x86_64-linux-gnu/libc.so.6", v.toProcMapsLine());
    }

    @Test
    void sharedBitIsTheTextsS() {
        Vma v = QueriedVma.of(new ProcMapEntry(0x7fe969cca000L, 0x7fe969cd1000L,
                ProcMapQuery.READABLE | ProcMapQuery.SHARED, 4096, 0, 338846, 0xfe, 0,
                "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache"));
        assertEquals("r--s", v.permissions().toString());
    }

    @Test
    void pseudoNamesComeBackAsTheTextPrintsThem() {
        for (String name : new String[] {"[heap]", "[stack]", "[vdso]", "[vvar]", "[vvar_vclock]", "[anon:jit]"}) {
            Vma v = QueriedVma.of(new ProcMapEntry(0x1000, 0x3000, ProcMapQuery.READABLE, 4096, 0, 0, 0, 0, name));
            assertEquals("00001000-00003000 r--p 00000000 00:00 0" + " ".repeat(34) + name, v.toProcMapsLine());
        }
    }

    @Test
    void unnamedAnonymousMappingEndsInTheTextsTrailingSpace() {
        Vma v = QueriedVma.of(new ProcMapEntry(0x7fe969ae3000L, 0x7fe969ae6000L,
                ProcMapQuery.READABLE | ProcMapQuery.WRITABLE, 4096, 0, 0, 0, 0, ""));
        assertEquals("7fe969ae3000-7fe969ae6000 rw-p 00000000 00:00 0 ", v.toProcMapsLine());
    }

    @Test
    void newlineInAFileNameIsEscapedLikeSeqPath() {
        Vma v = QueriedVma.of(new ProcMapEntry(0x1000, 0x2000, ProcMapQuery.READABLE, 4096, 0, 7, 0, 0x2a,
                "/tmp/a\nb"));
        assertEquals("/tmp/a\nb", v.path());
        assertEquals(true, v.toProcMapsLine().endsWith(" /tmp/a\\012b"));
    }
}
