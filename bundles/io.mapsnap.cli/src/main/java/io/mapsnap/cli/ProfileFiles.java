package io.mapsnap.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import io.mapsnap.api.export.ProfileExporter;
import io.mapsnap.api.profile.Profile;

/**
 * Writes profile files as perf writes perf.data: readable by the owner only (0600), since a profile of every
 * process names what every process runs. The file appears whole or not at all (written beside it, then renamed).
 */
final class ProfileFiles {
    private ProfileFiles() {
    }

    static long write(Profile profile, ProfileExporter exporter, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                exporter.export(profile, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.size(target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
