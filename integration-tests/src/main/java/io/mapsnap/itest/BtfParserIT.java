package io.mapsnap.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mapsnap.kernel.btf.Btf;
import io.mapsnap.kernel.btf.BtfMember;
import io.mapsnap.kernel.btf.BtfStruct;

/**
 * The kernel bundle's BTF parser, used through its exported package inside Felix, against bpftool's dump of the
 * running kernel's BTF: the type count and the members of the structs the walkers read.
 */
class BtfParserIT {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final Pattern TYPE_LINE = Pattern.compile("^\\[(\\d+)\\] (\\w+) '([^']*)'");
    private static final Pattern MEMBER_LINE =
            Pattern.compile("^\\t'([^']*)' type_id=(\\d+) bits_offset=(\\d+)(?: bitfield_size=(\\d+))?$");

    private static Btf btf;
    private static List<String> bpftool;

    @BeforeAll
    static void parseBoth() throws Exception {
        btf = Btf.read(VMLINUX);
        bpftool = run("bpftool", "btf", "dump", "file", VMLINUX.toString());
    }

    @Test
    void typeCountMatchesBpftool() {
        int highest = 0;
        for (String line : bpftool) {
            Matcher m = TYPE_LINE.matcher(line);
            if (m.find()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        assertTrue(highest > 1000, "bpftool printed " + highest + " types");
        assertEquals(highest, btf.typeCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"task_struct", "mm_struct", "vm_area_struct"})
    void structMembersMatchBpftool(String name) {
        BtfStruct s = btf.findStruct(name).orElseThrow(() -> new AssertionError("no struct " + name));
        List<String> expected = membersInBpftool(s.id());
        List<String> actual = new ArrayList<>();
        for (BtfMember m : s.members()) {
            // bpftool prints anonymous members (mm_struct's are inside one, since 6.1) as '(anon)'.
            actual.add("'" + (m.name().isEmpty() ? "(anon)" : m.name()) + "' type_id=" + m.typeId() + " bits_offset=" + m.bitOffset()
                    + (m.bitfieldSize() != 0 ? " bitfield_size=" + m.bitfieldSize() : ""));
        }
        assertTrue(expected.size() >= 2, name + " has members in bpftool's dump");
        assertEquals(expected, actual);
    }

    private static List<String> membersInBpftool(int id) {
        List<String> members = new ArrayList<>();
        boolean in = false;
        for (String line : bpftool) {
            if (line.startsWith("[")) {
                if (in) {
                    break;
                }
                in = line.startsWith("[" + id + "] STRUCT ");
            } else if (in) {
                Matcher m = MEMBER_LINE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("unexpected member line in bpftool output: " + line);
                }
                members.add("'" + m.group(1) + "' type_id=" + m.group(2) + " bits_offset=" + m.group(3)
                        + (m.group(4) != null ? " bitfield_size=" + m.group(4) : ""));
            }
        }
        return members;
    }

    static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (bpftool is installed by ./mapsnap)");
        }
        return lines;
    }
}
