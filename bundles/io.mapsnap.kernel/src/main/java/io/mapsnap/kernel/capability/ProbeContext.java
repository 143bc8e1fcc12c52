package io.mapsnap.kernel.capability;

import java.nio.file.Path;

/**
 * What probes share: where the kernel's files are and what was already learned about this process.
 *
 * @param procRoot usually /proc
 * @param sysRoot usually /sys
 * @param privileges this process's capabilities and limits
 */
record ProbeContext(Path procRoot, Path sysRoot, ProcessPrivileges privileges) {
    Path vmlinuxBtf() {
        return sysRoot.resolve("kernel/btf/vmlinux");
    }
}
