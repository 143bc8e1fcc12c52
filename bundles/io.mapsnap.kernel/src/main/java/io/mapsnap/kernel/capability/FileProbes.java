package io.mapsnap.kernel.capability;

import static io.mapsnap.api.capability.CapabilityResult.holds;
import static io.mapsnap.api.capability.CapabilityResult.missing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.CapabilityResult;

/** Capabilities established by reading kernel files: /proc maps. */
final class FileProbes {
    private FileProbes() {
    }

    static List<CapabilityProbe> all() {
        return List.of(procfsMaps());
    }

    private static CapabilityProbe procfsMaps() {
        return new CapabilityProbe(Capability.PROCFS_MAPS, context -> {
            // Another process's maps need PTRACE_MODE_READ over it: try our parent (PID 1 may be
            // shielded by the sandbox even from root, as it is on the CI machines).
            long other = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
            Path maps = context.procRoot().resolve(other + "/maps");
            try {
                long lines = Files.readAllLines(maps).size();
                return holds(Capability.PROCFS_MAPS, maps + " readable, " + lines + " mappings");
            } catch (IOException | SecurityException e) {
                return missing(Capability.PROCFS_MAPS, maps + " unreadable: " + e);
            }
        });
    }
}
