package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The running kernel's BTF, compared with what {@code bpftool btf dump} makes of the same file. */
class BtfVmlinuxTest {
    private static final Pattern MEMBER = Pattern.compile("\t'(.*)' type_id=(\\d+) bits_offset=(\\d+)(?: bitfield_size=(\\d+))?");

    private static byte[] vmlinux;
    private static Btf btf;
    private static Map<Integer, String> bpftool;

    @BeforeAll
    static void parseTheHostKernel() throws IOException, InterruptedException, BtfFormatException {
        long readStart = System.nanoTime();
        vmlinux = HostKernelBtf.vmlinuxBytes();
        long readNanos = System.nanoTime() - readStart;
        long coldStart = System.nanoTime();
        btf = Btf.parse(vmlinux);
        long coldNanos = System.nanoTime() - coldStart;
        long[] warm = new long[8];
        for (int i = 0; i < warm.length; i++) {
            long start = System.nanoTime();
            Btf.parse(vmlinux);
            warm[i] = System.nanoTime() - start;
        }
        Arrays.sort(warm);
        // Reported, not asserted: timing on a shared CI machine says little.
        System.out.printf("BTF vmlinux: %d bytes, %d types; read %.1f ms, parse cold %.1f ms, warm min %.1f ms, median %.1f ms%n",
                vmlinux.length, btf.typeCount(), readNanos / 1e6, coldNanos / 1e6, warm[0] / 1e6, warm[warm.length / 2] / 1e6);
        bpftool = HostKernelBtf.bpftoolDump();
    }

    @Test
    void typeCountIsBpftoolsHighestId() {
        assertEquals(Collections.max(bpftool.keySet()), btf.typeCount());
        assertEquals(bpftool.size(), btf.typeCount(), "bpftool lists every id once");
    }

    @Test
    void everyTypeReadsAsBpftoolPrintsIt() {
        long start = System.nanoTime();
        List<String> differences = new ArrayList<>();
        for (int id = 1; id <= btf.typeCount(); id++) {
            String ours = BpftoolRawFormat.render(btf, btf.type(id));
            String theirs = bpftool.get(id);
            if (!ours.equals(theirs) && differences.size() < 10) {
                differences.add("ours:   " + ours + "\nbpftool: " + theirs);
            }
        }
        System.out.printf("BTF vmlinux: decoded and rendered all %d types in %.1f ms%n", btf.typeCount(), (System.nanoTime() - start) / 1e6);
        assertTrue(differences.isEmpty(), () -> String.join("\n\n", differences));
    }

    @Test
    void readsTheFileDirectly() throws IOException, BtfFormatException {
        Btf read = Btf.read(HostKernelBtf.VMLINUX);
        assertEquals(btf.typeCount(), read.typeCount());
        assertEquals(btf.findStruct("task_struct"), read.findStruct("task_struct"));
        assertEquals(ByteOrder.nativeOrder(), read.byteOrder());
    }

    @Test
    void kindsAreCountedAsBpftoolCountsThem() {
        Map<BtfKind, Integer> ours = new EnumMap<>(BtfKind.class);
        Map<BtfKind, Integer> theirs = new EnumMap<>(BtfKind.class);
        for (int id = 1; id <= btf.typeCount(); id++) {
            ours.merge(btf.kind(id), 1, Integer::sum);
            String entry = bpftool.get(id);
            String kind = entry.substring(entry.indexOf("] ") + 2, entry.indexOf(" '"));
            theirs.merge(BtfKind.valueOf(kind), 1, Integer::sum);
        }
        assertEquals(theirs, ours);
        System.out.println("BTF vmlinux kinds: " + ours);
    }

    @ParameterizedTest
    @ValueSource(strings = {"task_struct", "mm_struct", "vm_area_struct"})
    void membersMatchBpftool(String structName) {
        BtfStruct struct = btf.findStruct(structName).orElseThrow(() -> new AssertionError("no struct " + structName));
        String entry = bpftool.get(struct.id());
        assertTrue(entry.startsWith("[" + struct.id() + "] STRUCT '" + structName + "' size=" + struct.size() + " "), entry);
        List<BtfMember> expected = new ArrayList<>();
        for (String line : entry.lines().skip(1).toList()) {
            Matcher m = MEMBER.matcher(line);
            assertTrue(m.matches(), line);
            String name = m.group(1).equals("(anon)") ? "" : m.group(1);
            int bitfieldSize = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
            expected.add(new BtfMember(name, Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), bitfieldSize));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, struct.members());
    }

    @Test
    void factsOfThisKernel() {
        // Kernel 6.18 as built for this host; each fact is something mapsnap relies on or must not rely on.
        assertTrue(btf.findFunc("bpf_iter_task_vma_new").isPresent(), "open-coded VMA iterator kfunc (6.7+)");
        assertTrue(btf.hasKfunc("bpf_iter_task_vma_new"));
        assertTrue(btf.hasKfunc("bpf_task_work_schedule_resume_impl"), "task_work scheduling kfunc of this 6.18 kernel");
        assertFalse(btf.hasKfunc("bpf_no_such_kfunc_anywhere"));
        // 6.1 replaced the VMA list with the maple tree: mm_struct lost mmap, vm_area_struct lost vm_next.
        assertFalse(btf.hasMember("mm_struct", "mmap"), "mm_struct.mmap, even inside anonymous members");
        assertTrue(btf.hasMember("mm_struct", "mm_mt"));
        assertFalse(btf.hasMember("vm_area_struct", "vm_next"));
        assertTrue(btf.hasMember("vm_area_struct", "vm_start"));
        assertTrue(btf.hasMember("atomic_t", "counter"), "typedef of an anonymous struct");

        BtfMemberLocation mmMt = btf.findMember("mm_struct", "mm_mt").orElseThrow();
        assertTrue(mmMt.path().size() > 1, "mm_mt sits inside mm_struct's anonymous struct");
        assertTrue(mmMt.path().getFirst().isAnonymous());
        assertEquals(mmMt.bitOffset() / 8, mmMt.byteOffset());
        assertTrue(btf.resolve(mmMt.member().typeId()) instanceof BtfStruct mapleTree && mapleTree.name().equals("maple_tree"));
        System.out.println("BTF vmlinux: mm_struct.mm_mt at byte offset " + mmMt.byteOffset()
                + ", vm_area_struct.vm_start at byte offset " + btf.findMember("vm_area_struct", "vm_start").orElseThrow().byteOffset());
    }

    @Test
    void kfuncsCarryTheirDeclTagOnThisKernel() {
        int vmaNew = btf.findFunc("bpf_iter_task_vma_new").orElseThrow().id();
        boolean tagged = btf.findByName("bpf_kfunc").stream()
                .anyMatch(t -> t instanceof BtfDeclTag tag && tag.typeId() == vmaNew && tag.componentIndex() == -1);
        assertTrue(tagged, "pahole tags this kernel's kfuncs with DECL_TAG bpf_kfunc; hasKfunc does not depend on it");
    }
}
