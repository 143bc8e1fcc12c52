package io.mapsnap.procfs;

/**
 * The fields of /proc/PID/stat that identify a process: its name and its start time.
 *
 * @param comm the name between the parentheses (which may itself contain spaces and parentheses)
 * @param startTime field 22, in clock ticks since boot: with the pid, a process identity that survives pid reuse
 */
record ProcessStat(String comm, long startTime) {
    static ProcessStat parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("no (comm) in /proc stat: '" + stat + "'");
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        // rest[0] is field 3 (state); field 22 is rest[19].
        if (rest.length < 20) {
            throw new IllegalArgumentException("short /proc stat: " + rest.length + " fields after comm");
        }
        return new ProcessStat(stat.substring(open + 1, close), Long.parseLong(rest[19]));
    }
}
