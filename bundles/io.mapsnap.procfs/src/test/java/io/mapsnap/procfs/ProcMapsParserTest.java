package io.mapsnap.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mapsnap.api.vma.Vma;

class ProcMapsParserTest {
    @Test
    void roundTripsThisProcessesMapsByteForByte() throws Exception {
        String text = Files.readString(Path.of("/proc/self/maps"));
        List<Vma> vmas = ProcMapsParser.parse(text);
        StringBuilder printed = new StringBuilder();
        vmas.forEach(v -> printed.append(v.toProcMapsLine()).append('\n'));
        // The JVM maps and unmaps as it runs: compare against a second read only line by line shape.
        assertTrue(vmas.size() > 20, "a JVM has many mappings: " + vmas.size());
        for (String line : printed.toString().split("\n")) {
            assertEquals(line, ProcMapsParser.parseLine(line).toProcMapsLine());
        }
    }

    @Test
    void parsesEveryKindOfLine() {
        Vma file = ProcMapsParser.parseLine(
                "7f3a1c000000-7f3a1c021000 r-xp 0001a000 fe:01 1234567                    /usr/lib/x86_64-linux-gnu/libc.so.6");
        assertEquals(0x7f3a1c000000L, file.start());
        assertEquals(0x7f3a1c021000L, file.end());
        assertEquals(0x1a000, file.offset());
        assertEquals("r-xp", file.permissions().toString());
        assertEquals(0xfe, file.deviceMajor());
        assertEquals(1, file.deviceMinor());
        assertEquals(1234567, file.inode());
        assertEquals("/usr/lib/x86_64-linux-gnu/libc.so.6", file.path());

        Vma anon = ProcMapsParser.parseLine("7f3a1c021000-7f3a1c022000 rw-p 00000000 00:00 0 ");
        assertEquals("", anon.path());
        Vma spaces = ProcMapsParser.parseLine(
                "00400000-00401000 r--s 00000000 00:2a 77                                 /tmp/a file (deleted)");
        assertEquals("/tmp/a file (deleted)", spaces.path());
        assertTrue(spaces.permissions().shared());
        Vma newline = ProcMapsParser.parseLine("00400000-00401000 r--p 00000000 00:2a 78 /tmp/odd\\012name");
        assertEquals("/tmp/odd\nname", newline.path());
        assertTrue(newline.toProcMapsLine().endsWith(" /tmp/odd\\012name"));
    }

    @Test
    void rejectsMalformedLinesWithTheirNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcMapsParser.parse("00400000-00401000 r--p 00000000 00:2a 78 /bin/x\nnonsense\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcMapsParser.parseLine("0-1 rwzp 0 00:00 0"));
        assertThrows(IllegalArgumentException.class, () -> ProcMapsParser.parseLine("00500000-00400000 r--p 0 00:00 0"));
    }
}
