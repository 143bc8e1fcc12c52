package io.mapsnap.kernel.capability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The effective capabilities and memlock limit of this process, read from /proc/self.
 *
 * @param effective the CapEff bit set
 * @param memlockUnlimited whether RLIMIT_MEMLOCK is unlimited
 * @param memlockText the soft limit as /proc/self/limits prints it
 */
record ProcessPrivileges(long effective, boolean memlockUnlimited, String memlockText) {
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    boolean has(int capability) {
        return (effective & (1L << capability)) != 0;
    }

    static ProcessPrivileges read(Path procSelf) throws IOException {
        long eff = parseCapEff(Files.readAllLines(procSelf.resolve("status")));
        String memlock = parseMemlockSoftLimit(Files.readAllLines(procSelf.resolve("limits")));
        return new ProcessPrivileges(eff, memlock.equals("unlimited"), memlock);
    }

    static long parseCapEff(List<String> status) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        throw new IllegalArgumentException("no CapEff line in /proc/self/status");
    }

    static String parseMemlockSoftLimit(List<String> limits) {
        for (String line : limits) {
            if (line.startsWith("Max locked memory")) {
                String[] cols = line.substring("Max locked memory".length()).trim().split("\\s+");
                return cols[0];
            }
        }
        throw new IllegalArgumentException("no 'Max locked memory' line in /proc/self/limits");
    }
}
