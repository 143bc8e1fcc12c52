package io.mapsnap.kernel.capability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.mapsnap.kernel.btf.Btf;
import io.mapsnap.kernel.btf.BtfFormatException;

/**
 * What probes share: where the kernel's files are, what was learned about this process, and the kernel's BTF
 * parsed once.
 */
final class ProbeContext {
    private final Path procRoot;
    private final Path sysRoot;
    private final ProcessPrivileges privileges;
    private Btf btf;
    private String btfProblem;
    private long btfParseMillis;

    ProbeContext(Path procRoot, Path sysRoot, ProcessPrivileges privileges) {
        this.procRoot = procRoot;
        this.sysRoot = sysRoot;
        this.privileges = privileges;
    }

    Path procRoot() {
        return procRoot;
    }

    ProcessPrivileges privileges() {
        return privileges;
    }

    Path vmlinuxBtf() {
        return sysRoot.resolve("kernel/btf/vmlinux");
    }

    /** The kernel's BTF, or empty with {@link #btfProblem()} saying why. Parsed on first use. */
    synchronized Optional<Btf> btf() {
        if (btf == null && btfProblem == null) {
            long t0 = System.nanoTime();
            try {
                btf = Btf.read(vmlinuxBtf());
            } catch (IOException e) {
                btfProblem = vmlinuxBtf() + " unreadable: " + e.getMessage()
                        + " (kernel built without CONFIG_DEBUG_INFO_BTF?)";
            } catch (BtfFormatException e) {
                btfProblem = vmlinuxBtf() + " is not valid BTF: " + e.getMessage();
            }
            btfParseMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        return Optional.ofNullable(btf);
    }

    synchronized String btfProblem() {
        return btfProblem;
    }

    synchronized long btfParseMillis() {
        return btfParseMillis;
    }
}
