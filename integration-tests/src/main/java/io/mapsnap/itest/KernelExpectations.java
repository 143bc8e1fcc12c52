package io.mapsnap.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

import io.mapsnap.api.capability.Capability;
import io.mapsnap.api.capability.KernelCapabilities;

/**
 * What mapsnap must find and choose on one kernel series, from integration-tests/kernels/expectations/SERIES.properties:
 * facts verified by hand on that kernel (../shared/DESIGN.md, KERNELS.md). The same files serve the host run and
 * every QEMU guest of the kernel matrix, so each kernel is held to its own row.
 *
 * @param series the kernel series, such as {@code 6.1}
 * @param release the full kernel release the series was taken from
 * @param properties the file's entries; empty when the series has no file
 */
record KernelExpectations(String series, String release, Properties properties) {
    /** Keys that are not capability keys. */
    private static final Set<String> CHOICES = Set.of("best-source", "collector", "exited-frames-named-min");

    /** The expectations of the series of {@code release} (e.g. {@code 6.12.118-amd64} → {@code 6.12}). */
    static KernelExpectations forRelease(String release) throws IOException {
        String series = release.replaceFirst("^(\\d+\\.\\d+).*", "$1");
        String dir = System.getProperty("mapsnap.kernel.expectations");
        if (dir == null) {
            throw new IllegalStateException("system property mapsnap.kernel.expectations is not set (see itest.bndrun)");
        }
        Properties p = new Properties();
        Path file = Path.of(dir, series + ".properties");
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
        }
        return new KernelExpectations(series, release, p);
    }

    /** The running kernel's expectations; a skip naming the kernel when its series has none recorded. */
    static KernelExpectations recordedFor(KernelCapabilities capabilities) throws IOException {
        KernelExpectations e = forRelease(capabilities.kernelRelease());
        Assumptions.assumeTrue(!e.properties.isEmpty(), () -> "no recorded expectations for " + e);
        return e;
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

    /** The least share, in percent, of an exited workload's own-code samples the profile must resolve. */
    Optional<Double> exitedFramesNamedMin() {
        return value("exited-frames-named-min").map(Double::parseDouble);
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::trim);
    }

    @Override
    public String toString() {
        return "kernel " + release + " (expectations/" + series + ".properties)";
    }
}
