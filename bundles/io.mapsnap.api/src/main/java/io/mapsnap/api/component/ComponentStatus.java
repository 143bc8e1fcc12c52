package io.mapsnap.api.component;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One component's standing on this kernel, registered as a service by the component's bundle while the component is
 * active, whether it runs or was refused. Refused components register nothing else; consumers that skip one can say
 * why ({@link #refusal()}).
 *
 * @param kind what the component is
 * @param name its name, the same as its service's name property ({@code mapsnap.source}, {@code mapsnap.collector})
 * @param ranking its {@code service.ranking}: higher is preferred
 * @param verdicts one per variant tried, in the order they were tried; the first accepted one is the one running
 */
public record ComponentStatus(ComponentKind kind, String name, int ranking, List<VariantVerdict> verdicts) {
    /** Service property: {@link ComponentKind#key()}. */
    public static final String KIND_PROPERTY = "mapsnap.component.kind";
    /** Service property: the component's name. */
    public static final String NAME_PROPERTY = "mapsnap.component.name";
    /** Service property: {@code true} when a variant was accepted. */
    public static final String AVAILABLE_PROPERTY = "mapsnap.component.available";
    /** Service property: the running variant's name, absent when refused. */
    public static final String VARIANT_PROPERTY = "mapsnap.component.variant";

    public ComponentStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        verdicts = List.copyOf(verdicts);
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException(name + ": a status needs at least one verdict");
        }
    }

    /** The variant that runs, if one was accepted. */
    public Optional<VariantVerdict> running() {
        return verdicts.stream().filter(VariantVerdict::accepted).findFirst();
    }

    /** Whether the component runs here. */
    public boolean available() {
        return running().isPresent();
    }

    /**
     * Why it cannot run, in one line: each refused variant's name and decisive words, for example
     * {@code d-path: EACCES: R1 type=untrusted_ptr_ ...; dentry-path: ...}. Empty when it runs.
     */
    public String refusal() {
        if (available()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (VariantVerdict v : verdicts) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(verdicts.size() > 1 ? v.variant() + ": " : "").append(v.summary());
        }
        return sb.toString();
    }

    /**
     * Why the component {@code name} of {@code kind} is not available, in one line, from the statuses registered:
     * {@code kfunc: cannot run here: <refusal>}, or that it is not installed and which are.
     */
    public static String whyUnavailable(Collection<ComponentStatus> statuses, ComponentKind kind, String name) {
        Optional<ComponentStatus> named = statuses.stream().filter(s -> s.kind == kind && s.name.equals(name))
                .findFirst();
        if (named.isPresent() && !named.get().available()) {
            return name + ": cannot run here: " + named.get().refusal();
        }
        if (named.isPresent()) {
            return name + " runs here but its service is not registered (is its bundle stopping?)";
        }
        List<String> installed = statuses.stream().filter(s -> s.kind == kind)
                .sorted(Comparator.comparingInt(ComponentStatus::ranking).reversed())
                .map(s -> s.name + (s.available() ? "" : " (cannot run here)")).toList();
        return kind.key() + " '" + name + "' is not installed; installed: "
                + (installed.isEmpty() ? "none" : String.join(", ", installed));
    }

    /** {@code kind/name}, for example {@code source/kfunc}. */
    public String id() {
        return kind.key() + "/" + name;
    }
}
