package io.mapsnap.cli;

import java.io.PrintStream;
import java.util.List;

import org.osgi.framework.BundleContext;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.format.CapabilityReport;

/** {@code mapsnap caps [--json]}: the kernel's measured capabilities, with evidence. */
final class CapsCommand implements Subcommand {
    private final KernelCapabilities capabilities;
    private final BundleContext context;

    CapsCommand(KernelCapabilities capabilities, BundleContext context) {
        this.capabilities = capabilities;
        this.context = context;
    }

    @Override
    public String name() {
        return "caps";
    }

    @Override
    public String synopsis() {
        return "caps [--json]            what this kernel offers and which components run here, with the kernel's words";
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
        List<ComponentStatus> components = ComponentStatuses.all(context);
        out.println(json ? CapabilityReport.json(capabilities, components)
                : CapabilityReport.table(capabilities, components));
        return 0;
    }
}
