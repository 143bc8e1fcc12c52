package io.mapsnap.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.export.ProfileFiles;
import io.mapsnap.api.profile.Profile;
import io.mapsnap.api.profile.ProfileRequest;
import io.mapsnap.api.profile.Profiler;

/** {@code mapsnap:profile}: the same profile as {@code ./mapsnap profile}, from the Gogo shell. */
@Component(service = ProfileShellCommand.class, property = {
        "osgi.command.scope=mapsnap",
        "osgi.command.function=profile"
})
public final class ProfileShellCommand {
    @Reference
    private Profiler profiler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ProfileExporter> exporters;

    @Descriptor("sample stacks with collection-time memory maps and write a profile (.pb.gz, .folded or .svg)")
    public String profile(
            @Descriptor("process id to sample (0: every process)")
            @Parameter(names = "--pid", absentValue = "0") int pid,
            @Descriptor("seconds to sample")
            @Parameter(names = "--duration", absentValue = "10") double seconds,
            @Descriptor("samples per second per CPU")
            @Parameter(names = "--frequency", absentValue = "99") int frequency,
            @Descriptor("map collector (kfunc, procfs-async); default: the best this kernel has")
            @Parameter(names = "--source", absentValue = "") String source,
            @Descriptor("output file; its name picks the format") String output) throws Exception {
        Path target = Path.of(output);
        ProfileExporter exporter = ProfileFiles.exporterFor(exporters, target)
                .orElseThrow(() -> new IllegalArgumentException("no exporter writes '" + output + "'; names may end in "
                        + exporters.stream().map(ProfileExporter::extension).sorted().toList()));
        ProfileRequest request = new ProfileRequest(pid == 0 ? Set.of() : Set.of(pid), 0,
                Duration.ofMillis(Math.round(seconds * 1000)), frequency, source.isEmpty() ? null : source, true);
        Profile p = profiler.profile(request, progress -> { });
        long bytes = ProfileFiles.write(p, exporter, target);
        return String.format("%,d samples of %d processes (%d exited during the profile), collector %s; wrote %s "
                + "(%,d bytes, mode 0600)", p.metadata().samples(), p.metadata().processes(),
                p.metadata().exitedProcesses(), p.metadata().collector(), target, bytes);
    }
}
