package io.mapsnap.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.format.CapabilityReport;

/** {@code mapsnap:caps [--json]} in the Gogo shell: the same report as {@code ./mapsnap caps}. */
@Component(service = CapsShellCommand.class, property = {
        "osgi.command.scope=mapsnap",
        "osgi.command.function=caps"
})
public final class CapsShellCommand {
    @Reference
    private KernelCapabilities capabilities;

    @Descriptor("what this kernel can do for mapsnap, with the evidence for each capability")
    public String caps(
            @Descriptor("print JSON (schema mapsnap.caps/1) instead of a table")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return json ? CapabilityReport.json(capabilities) : CapabilityReport.table(capabilities);
    }
}
