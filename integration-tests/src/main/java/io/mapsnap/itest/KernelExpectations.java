package io.mapsnap.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.KernelCapabilities;

/**
 * What mapsnap found on one exact kernel build, recorded by hand for the kernel matrix's QEMU images
 * (integration-tests/kernels/expectations/*.properties). Each record names the build it was taken on, {@code release}
 * ({@code uname -r}) and {@code version} ({@code uname -v}), and only that very build is held to it: the same release
 * string can carry another verifier, so a build nobody recorded (the host's, which drifts, or a guest image Debian has
 * since replaced) is held to consistency only — what ran is the best that loaded, and it agrees with /proc.
 *
 * @param file the record
 * @param properties its entries
 */
record KernelExpectations(Path file, Properties properties) {
    /** Keys that are not capability keys. */
    private static final Set<String> CHOICES = Set.of("release", "version", "best-source", "collector",
            "exited-frames-named-min");

    /** The record of the running build, if one was made. */
    static Optional<KernelExpectations> forBuild(String release, String version) throws IOException {
        for (KernelExpectations e : all()) {
            if (release.equals(e.value("release").orElse(null)) && version.equals(e.value("version").orElse(null))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The running build's record; a skip naming the build and the records there are when it has none. */
    static KernelExpectations recordedFor(KernelCapabilities capabilities) throws IOException {
        Optional<KernelExpectations> e = forBuild(capabilities.kernelRelease(), capabilities.kernelVersion());
        if (e.isEmpty()) {
            List<String> builds = all().stream().map(KernelExpectations::toString).toList();
            Assumptions.abort("no record of this exact kernel build (" + capabilities.kernelRelease() + " "
                    + capabilities.kernelVersion() + "): an unrecorded build is held to the consistency tests only;"
                    + " records: " + builds);
        }
        return e.get();
    }

    /** Every record in the directory the run names (itest.bndrun / guest.bndrun). */
    static List<KernelExpectations> all() throws IOException {
        String dir = System.getProperty("mapsnap.kernel.expectations");
        if (dir == null) {
            throw new IllegalStateException("system property mapsnap.kernel.expectations is not set (see itest.bndrun)");
        }
        List<KernelExpectations> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".properties")).sorted().toList()) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(f)) {
                    p.load(in);
                }
                records.add(new KernelExpectations(f, p));
            }
        }
        return records;
    }

    /** The capabilities listed, each with whether it must hold; capabilities not listed are not asserted. */
    Map<Capability, Boolean> capabilities() {
        Map<Capability, Boolean> e = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            if (!CHOICES.contains(key)) {
                e.put(Capability.ofKey(key), value(key).orElseThrow().equals("yes"));
            }
        }
        return e;
    }

    /** The VMA source the registry must choose for the process map cache. */
    Optional<String> bestSource() {
        return value("best-source");
    }

    /** The collector the profiler must choose by default. */
    Optional<String> collector() {
        return value("collector");
    }

    /** The least share, in percent, of an exited workload's own-code samples the profile must name. */
    Optional<Double> exitedFramesNamedMin() {
        return value("exited-frames-named-min").map(Double::parseDouble);
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::trim);
    }

    @Override
    public String toString() {
        return file.getFileName() + " (" + value("release").orElse("?") + " " + value("version").orElse("?") + ")";
    }
}
