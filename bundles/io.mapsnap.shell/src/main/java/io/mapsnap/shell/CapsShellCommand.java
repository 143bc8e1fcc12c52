package io.mapsnap.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.util.List;

import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.format.CapabilityReport;

/** {@code mapsnap:caps [--json]} in the Gogo shell: the same report as {@code ./mapsnap caps}. */
@Component(service = CapsShellCommand.class, property = {
        "osgi.command.scope=mapsnap",
        "osgi.command.function=caps"
})
public final class CapsShellCommand {
    @Reference
    private KernelCapabilities capabilities;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ComponentStatus> statuses;

    @Descriptor("what this kernel offers and which components run here, with the kernel's words for each refusal")
    public String caps(
            @Descriptor("print JSON (schema " + CapabilityReport.SCHEMA + ") instead of a table")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        List<ComponentStatus> components = statuses;
        return json ? CapabilityReport.json(capabilities, components)
                : CapabilityReport.table(capabilities, components);
    }
}
