package io.mapsnap.cli;

import java.io.PrintStream;
import java.util.List;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.format.CapabilityReport;

/** {@code mapsnap caps [--json]}: the kernel's measured capabilities, with evidence. */
final class CapsCommand implements Subcommand {
    private final KernelCapabilities capabilities;

    CapsCommand(KernelCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    @Override
    public String name() {
        return "caps";
    }

    @Override
    public String synopsis() {
        return "caps [--json]            what this kernel can do for mapsnap, with evidence";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else {
                throw new UsageException("caps: unknown option '" + a + "'");
            }
        }
        out.println(json ? CapabilityReport.json(capabilities) : CapabilityReport.table(capabilities));
        return 0;
    }
}
