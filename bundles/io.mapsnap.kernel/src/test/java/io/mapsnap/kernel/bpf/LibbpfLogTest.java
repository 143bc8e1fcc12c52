package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** libbpf_set_print → vsnprintf(va_list) → System.Logger "io.mapsnap.kernel.libbpf" (JUL backs it here). */
class LibbpfLogTest {
    @Test
    void libbpfWarningsReachTheJavaLogger() throws Exception {
        Logger jul = Logger.getLogger("io.mapsnap.kernel.libbpf");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = jul.getLevel();
        jul.addHandler(handler);
        jul.setLevel(Level.ALL);
        try {
            assertThrows(BpfException.class, () -> BpfObject.open("garbage_for_log", new byte[64]));
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(level);
        }
        List<String> messages = records.stream().map(LogRecord::getMessage).toList();
        System.out.println("libbpf said: " + messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("libbpf: elf:")), "no formatted libbpf line in " + messages);
        assertTrue(messages.stream().noneMatch(m -> m.contains("%")), "unformatted printf directive in " + messages);
    }
}
