package io.mapsnap.kernel.bpf;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The fault-injection switch: BPF objects named here are refused by {@link BpfObject#load()} as if the verifier had
 * refused them, so every fallback can be exercised on any kernel. Read at each load, from the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}: a comma-separated list of object names
 * ({@code kfunc_vma_walker}, without {@code .bpf.o}), each may use {@code *} as a wildcard ({@code *} alone refuses
 * every BPF object: procfs only).
 */
public final class FaultInjection {
    /** System property holding the list. */
    public static final String PROPERTY = "mapsnap.refuse";
    /** Environment variable holding the list when the property is not set. */
    public static final String ENVIRONMENT = "MAPSNAP_REFUSE";
    /** What the refused load's log says: the verdict quotes it. */
    public static final String LOG_LINE = "refused by mapsnap's fault injection";

    private FaultInjection() {
    }

    /** The entry of the switch that refuses {@code objectName}, if one does. */
    public static Optional<String> refusing(String objectName) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null) {
            spec = System.getenv(ENVIRONMENT);
        }
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        return entries(spec).stream().filter(e -> matches(e, objectName)).findFirst();
    }

    static List<String> entries(String spec) {
        return Arrays.stream(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static boolean matches(String entry, String objectName) {
        // Each literal between stars is quoted; the stars become ".*".
        String regex = Arrays.stream(entry.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.matches(regex, objectName);
    }
}
