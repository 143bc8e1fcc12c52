package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The decisive words of refusals, from the tails of real verifier logs (6.18.44-fc-v1272, libbpf 1.1), and from a
 * real refusal of this kernel.
 */
class VerifierLogTest {
    @Test
    void theComplaintAfterTheLastInstructionOfAnUntrustedFile() {
        String log = """
                --- program kfunc_vma_walker ---
                320: (bf) r1 = r9                     ; R1=untrusted_ptr_file(off=64) R9=untrusted_ptr_file(off=64) refs=9
                ; rec->path_len = bpf_d_path(&file->f_path, rec->path, sizeof(rec->path)); @ kfunc_vma_walker.bpf.c:59
                323: (85) call bpf_d_path#147
                R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_
                verification time 2859 usec
                stack depth 152
                processed 294 insns (limit 1000000) max_states_per_insn 1 total_states 19 peak_states 19 mark_read 0
                """;
        assertEquals("R1 type=untrusted_ptr_ expected=ptr_, trusted_ptr_, rcu_ptr_", VerifierLog.decisive(log, List.of()));
    }

    @Test
    void twoLinesOfASleepableCallback() {
        String log = """
                arg#0 reference type('UNKNOWN ') size cannot be determined: -22
                0: R1=ctx() R10=fp0
                22: (85) call bpf_task_work_schedule_resume_impl#65368
                sleepable callback in a program that is not sleepable
                kfunc bpf_task_work_schedule_resume_impl#65368 failed callback verification
                verification time 225 usec
                stack depth 8+0
                processed 19 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
                """;
        assertEquals("sleepable callback in a program that is not sleepable / kfunc "
                + "bpf_task_work_schedule_resume_impl#65368 failed callback verification",
                VerifierLog.decisive(log, List.of()));
    }

    @Test
    void libbpfsCoreFixupIsTheReason() {
        String log = """
                138: (85) call bpf_probe_read_kernel#113
                139: <invalid CO-RE relocation>
                failed to resolve CO-RE relocation <byte_off> [42] struct mm_struct___legacy.mmap (0:0 @ offset 0)
                processed 120 insns (limit 1000000) max_states_per_insn 0 total_states 8 peak_states 8 mark_read 3
                """;
        assertEquals("failed to resolve CO-RE relocation <byte_off> [42] struct mm_struct___legacy.mmap (0:0 @ "
                + "offset 0)", VerifierLog.decisive(log, List.of()));
    }

    @Test
    void withoutALogLibbpfsOwnWarningIsTheReason() {
        List<String> warnings = List.of(
                "libbpf: extern (func ksym) 'bpf_task_work_schedule_resume': not found in kernel or module BTFs",
                "libbpf: failed to load object 'probe_task_work'");
        assertEquals("extern (func ksym) 'bpf_task_work_schedule_resume': not found in kernel or module BTFs",
                VerifierLog.decisive("", warnings));
        assertEquals("", VerifierLog.decisive("", List.of("libbpf: prog 'x': failed to load: -1")));
    }

    @Test
    void aRealRefusalCarriesTheVerifiersWords() throws Exception {
        try (BpfObject o = TestObjects.open("test_invalid")) {
            BpfLoadException e = assertThrows(BpfLoadException.class, o::load);
            assertFalse(e.injected());
            String reason = e.reason();
            assertFalse(reason.isBlank());
            assertFalse(reason.contains("processed ") || reason.matches("(?s)^\\d+: .*"), reason);
            assertTrue(e.verifierLog().contains(reason.split(" / ")[0]), reason + "\nnot in:\n" + e.verifierLog());
        }
    }
}
