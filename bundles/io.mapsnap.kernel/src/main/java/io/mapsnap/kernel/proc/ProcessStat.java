package io.mapsnap.kernel.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of /proc/PID/stat that identify a process: its name, its state and its start time. The text is the
 * kernel's, but the name in it is the process's own and untrusted: it may contain spaces and parentheses, so the
 * fields after it are found from the last ')'.
 *
 * @param comm the name between the parentheses
 * @param state field 3: R, S, D, Z, ...
 * @param startTime field 22, in clock ticks since boot: with the pid, a process identity that survives pid reuse
 */
public record ProcessStat(String comm, char state, long startTime) {
    /** Parses the text of a /proc/PID/stat file; a malformed one is an {@link IllegalArgumentException} naming why. */
    public static ProcessStat parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 > stat.length()) {
            throw new IllegalArgumentException("no (comm) in /proc stat: '" + stat + "'");
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        // rest[0] is field 3 (state); field 22 is rest[19].
        if (rest.length < 20 || rest[0].length() != 1) {
            throw new IllegalArgumentException("short /proc stat: " + rest.length + " fields after comm");
        }
        try {
            return new ProcessStat(stat.substring(open + 1, close), rest[0].charAt(0), Long.parseLong(rest[19]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("start time is not a number in /proc stat: '" + rest[19] + "'", e);
        }
    }

    /** Reads and parses /proc/PID/stat; a process that is gone surfaces as {@link java.nio.file.NoSuchFileException}. */
    public static ProcessStat read(int pid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** Whether the process has exited and waits for its parent to reap it. */
    public boolean zombie() {
        return state == 'Z';
    }
}
