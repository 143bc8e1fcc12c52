package io.mapsnap.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProcessStatTest {
    @Test
    void statSurvivesParenthesesInComm() {
        ProcessStat s = ProcessStat.parse("42 (a) b) (c) Z 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 "
                + "1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0");
        assertEquals("a) b) (c", s.comm());
        assertEquals('Z', s.state());
        assertEquals(98765, s.startTime());
    }

    @Test
    void thisProcessIsAliveAndMalformedTextIsRefused() throws Exception {
        assertFalse(ProcessStat.read((int) ProcessHandle.current().pid()).zombie());
        assertThrows(IllegalArgumentException.class, () -> ProcessStat.parse("42 (x"));
        assertThrows(IllegalArgumentException.class, () -> ProcessStat.parse("42 (x)"));
        assertThrows(IllegalArgumentException.class, () -> ProcessStat.parse("42 (x) S 1 2 3"));
        assertThrows(IllegalArgumentException.class,
                () -> ProcessStat.parse("42 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 nope 20"));
    }
}
