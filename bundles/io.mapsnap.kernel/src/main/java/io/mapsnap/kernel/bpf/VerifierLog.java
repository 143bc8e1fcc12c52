package io.mapsnap.kernel.bpf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The decisive words of a refused load, out of a verifier log of thousands of lines: what the verifier said after
 * the last instruction it walked and before its statistics ({@code R1 type=untrusted_ptr_ expected=ptr_, ...},
 * {@code sleepable callback in a program that is not sleepable}); where the kernel never got to verify (libbpf
 * could not resolve a kfunc or a CO-RE relocation, the kernel refused with EPERM), libbpf's own warning.
 */
public final class VerifierLog {
    /** Lines of the instruction trace and the statistics, which never say why. */
    private static final Pattern NOISE = Pattern.compile(
            "^(\\d+: |\\d+: \\(|; |mark_precise|from \\d+ to \\d+|Live regs|func#\\d+|\\s|"
                    + "verification time|stack depth|processed \\d+ insns|propagating|last_idx|regs=|parent |"
                    + "-- |Validating |Func#|arg#\\d+ reference type|\\.\\.\\.|[0-9a-f]{2} )");
    /** libbpf's generic lines that carry no reason of their own. */
    private static final Pattern GENERIC_LIBBPF = Pattern.compile(
            "failed to load object|failed to load BPF skeleton|-- (BEGIN|END) PROG LOAD LOG --"
                    + "|BPF program load failed: |failed to load: -\\d+|permission error while running as root");
    private static final int MAX_LINES = 3;

    private VerifierLog() {
    }

    /**
     * At most three decisive lines, joined with " / "; empty when neither the log nor libbpf said anything
     * specific (the errno is then all there is).
     */
    public static String decisive(String verifierLog, List<String> libbpfWarnings) {
        List<String> fromLog = decisiveLines(verifierLog == null ? "" : verifierLog);
        if (!fromLog.isEmpty()) {
            return String.join(" / ", fromLog);
        }
        List<String> fromLibbpf = new ArrayList<>();
        for (String w : libbpfWarnings) {
            String line = w.replaceFirst("^libbpf: ", "").strip();
            if (!line.isEmpty() && !GENERIC_LIBBPF.matcher(line).find()) {
                fromLibbpf.add(line);
            }
        }
        return String.join(" / ", fromLibbpf.subList(Math.max(0, fromLibbpf.size() - MAX_LINES), fromLibbpf.size()));
    }

    /** The lines after the last instruction of the trace that are not statistics, at most three, in order. */
    static List<String> decisiveLines(String log) {
        String[] lines = log.split("\n");
        int end = lines.length;
        // Statistics come last ("verification time", "processed N insns"); the reason sits right before them.
        List<String> reason = new ArrayList<>();
        for (int i = end - 1; i >= 0 && reason.size() < MAX_LINES; i--) {
            String line = lines[i].stripTrailing();
            if (line.isEmpty() || line.startsWith("--- program ")) {
                if (!reason.isEmpty()) {
                    break;
                }
                continue;
            }
            if (NOISE.matcher(line).find()) {
                if (!reason.isEmpty() && isInstruction(line)) {
                    break; // the last instruction walked: what follows it is the complaint
                }
                continue;
            }
            reason.add(0, line);
        }
        return reason;
    }

    private static boolean isInstruction(String line) {
        return line.matches("^\\d+: .*");
    }
}
