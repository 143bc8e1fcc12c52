package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The running kernel's BTF and bpftool's view of it. Both are required: a host without them fails these tests
 * with the reason rather than letting them pass without having compared anything.
 */
final class HostKernelBtf {
    static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    static final Path BPFTOOL = Path.of("/usr/sbin/bpftool");

    private HostKernelBtf() {
    }

    static byte[] vmlinuxBytes() throws IOException {
        assertTrue(Files.isReadable(VMLINUX), VMLINUX + " is missing or unreadable: this kernel has no CONFIG_DEBUG_INFO_BTF, "
                + "so there is nothing to compare the parser with");
        return Files.readAllBytes(VMLINUX);
    }

    /** bpftool's raw dump, one entry per type id: the type line and its indented member lines. */
    static Map<Integer, String> bpftoolDump() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BPFTOOL), BPFTOOL + " is missing: install bpftool to compare the parser with the kernel's own tool");
        Path errors = Files.createTempFile("bpftool", ".err");
        try {
            Process bpftool = new ProcessBuilder(BPFTOOL.toString(), "btf", "dump", "file", VMLINUX.toString())
                    .redirectError(errors.toFile())
                    .start();
            String dump = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!bpftool.waitFor(60, TimeUnit.SECONDS)) {
                bpftool.destroyForcibly();
                fail("bpftool did not finish within 60 s");
            }
            assertEquals(0, bpftool.exitValue(), () -> "bpftool failed: " + readQuietly(errors));
            Map<Integer, String> byId = new HashMap<>();
            int start = 0;
            while (start < dump.length()) {
                int end = dump.indexOf("\n[", start);
                end = end < 0 ? dump.length() : end;
                String entry = dump.substring(start, end).stripTrailing();
                int id = Integer.parseInt(entry.substring(1, entry.indexOf(']')));
                byId.put(id, entry);
                start = end + 1;
            }
            return byId;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
