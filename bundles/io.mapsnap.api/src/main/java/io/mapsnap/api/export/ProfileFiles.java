package io.mapsnap.api.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import io.mapsnap.api.profile.Profile;

/**
 * Writes profile files as perf writes perf.data: readable by the owner only (0600), since a profile of every
 * process names what every process runs. The file appears whole or not at all (written beside it, then renamed).
 */
public final class ProfileFiles {
    private ProfileFiles() {
    }

    /**
     * The exporter whose extension {@code target}'s name ends with (the longest match, so {@code .pb.gz} beats
     * {@code .gz}).
     */
    public static java.util.Optional<ProfileExporter> exporterFor(java.util.Collection<ProfileExporter> exporters,
            Path target) {
        String name = target.getFileName().toString();
        return exporters.stream().filter(e -> name.endsWith(e.extension()))
                .max(java.util.Comparator.comparingInt(e -> e.extension().length()));
    }

    /** Writes {@code profile} to {@code target} with {@code exporter}, mode 0600, atomically; returns its size. */
    public static long write(Profile profile, ProfileExporter exporter, Path target) throws IOException {
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
