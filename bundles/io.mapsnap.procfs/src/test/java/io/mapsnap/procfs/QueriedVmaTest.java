package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

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

    @Test
    void enumerationOfAStillMapPassesThrough() {
        List<ProcMapEntry> still = List.of(anon(0x1000, 0x2000), file(0x2000, 0x4000, 0x5000), anon(0x8000, 0x9000));
        assertEquals(still.stream().map(QueriedVma::of).toList(), QueriedVma.ofEnumeration(still));
    }

    @Test
    void vmaThatGrewDownBetweenQueriesKeepsOnlyItsNewPart() {
        // [0x1000,0x2000) was answered; before the next query it merged with a new neighbour into [0x1000,0x3000).
        List<Vma> vmas = QueriedVma.ofEnumeration(List.of(anon(0x1000, 0x2000), anon(0x1000, 0x3000),
                file(0x2800, 0x6000, 0x10000)));
        assertEquals(List.of(QueriedVma.of(anon(0x1000, 0x2000)), QueriedVma.of(anon(0x2000, 0x3000)),
                QueriedVma.of(file(0x3000, 0x6000, 0x10800))), vmas);
    }

    @Test
    void answerInsideWhatWasReportedIsDropped() {
        List<Vma> vmas = QueriedVma.ofEnumeration(List.of(anon(0x1000, 0x4000), anon(0x2000, 0x3000),
                anon(0x4000, 0x5000)));
        assertEquals(List.of(QueriedVma.of(anon(0x1000, 0x4000)), QueriedVma.of(anon(0x4000, 0x5000))), vmas);
    }

    private static ProcMapEntry anon(long start, long end) {
        return new ProcMapEntry(start, end, ProcMapQuery.READABLE | ProcMapQuery.WRITABLE, 4096, 0, 0, 0, 0, "");
    }

    private static ProcMapEntry file(long start, long end, long offset) {
        return new ProcMapEntry(start, end, ProcMapQuery.READABLE, 4096, offset, 42, 0xfe, 0, "/usr/lib/libx.so");
    }
}
