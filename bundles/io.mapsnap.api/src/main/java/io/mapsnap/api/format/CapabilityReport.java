package io.mapsnap.api.format;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;
import io.mapsnap.api.component.ComponentStatus;
import io.mapsnap.api.component.VariantVerdict;

/**
 * {@code mapsnap caps} as a table for people and as JSON (schema {@code mapsnap.caps/2}) for programs: the kernel's
 * measured facts, then one row per component variant — accepted, or refused with the kernel's own words.
 */
public final class CapabilityReport {
    /** The value of the {@code schema} key; bumped when a key changes meaning. */
    public static final String SCHEMA = "mapsnap.caps/2";

    /** Sources, collectors, sampler; within a kind, the preferred first. */
    public static final Comparator<ComponentStatus> ORDER = Comparator.comparing(ComponentStatus::kind)
            .thenComparing(Comparator.comparingInt(ComponentStatus::ranking).reversed())
            .thenComparing(ComponentStatus::name);

    private CapabilityReport() {
    }

    /** The facts (key, yes/no, how measured, evidence), then the components' variants (verdict, reason). */
    public static String table(KernelCapabilities caps, List<ComponentStatus> components) {
        List<CapabilityResult> results = caps.results();
        int width = results.stream().mapToInt(r -> r.capability().key().length()).max().orElse(10);
        String row = "%-" + width + "s  %-3s  %-9s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append("kernel ").append(caps.kernelRelease()).append(' ').append(caps.kernelVersion()).append(' ')
                .append(caps.machine()).append('\n');
        sb.append(String.format(row, "capability", "ok", "how", "evidence"));
        for (CapabilityResult r : results) {
            sb.append(String.format(row, r.capability().key(), r.available() ? "yes" : "no",
                    r.capability().kind().name().toLowerCase(Locale.ROOT), r.evidence()));
        }
        long held = results.stream().filter(CapabilityResult::available).count();
        sb.append(held).append(" of ").append(results.size()).append(" capabilities hold\n\n");

        List<ComponentStatus> sorted = components.stream().sorted(ORDER).toList();
        int idWidth = sorted.stream().mapToInt(c -> c.id().length()).max().orElse(9);
        int variantWidth = sorted.stream().flatMap(c -> c.verdicts().stream())
                .mapToInt(v -> v.variant().length()).max().orElse(7);
        String crow = "%-" + Math.max(idWidth, 9) + "s  %-" + Math.max(variantWidth, 7) + "s  %-8s  %s%n";
        sb.append(String.format(crow, "component", "variant", "verdict", "reason / evidence"));
        for (ComponentStatus c : sorted) {
            for (VariantVerdict v : c.verdicts()) {
                String verdict = v.accepted() ? (c.running().orElseThrow() == v ? "runs" : "loads")
                        : v.injected() ? "refused*" : "refused";
                sb.append(String.format(crow, c.id(), v.variant(), verdict, v.summary()));
            }
        }
        long running = sorted.stream().filter(ComponentStatus::available).count();
        sb.append(running).append(" of ").append(sorted.size()).append(" components run here");
        if (sorted.stream().anyMatch(c -> c.verdicts().stream().anyMatch(VariantVerdict::injected))) {
            sb.append(" (refused*: by the fault-injection switch, mapsnap.refuse / MAPSNAP_REFUSE)");
        }
        return sb.toString();
    }

    /**
     * The same as one JSON object: {@code schema, kernelRelease, kernelVersion, bootId, machine, capabilities[],
     * components[]}; each component has {@code kind, name, ranking, available, variant} and {@code variants[]} of
     * {@code name, artifact, accepted, errno, reason, injected}.
     */
    public static String json(KernelCapabilities caps, List<ComponentStatus> components) {
        JsonWriter w = new JsonWriter().beginObject()
                .field("schema", SCHEMA)
                .field("kernelRelease", caps.kernelRelease())
                .field("kernelVersion", caps.kernelVersion())
                .field("bootId", caps.bootId())
                .field("machine", caps.machine())
                .beginArray("capabilities");
        for (CapabilityResult r : caps.results()) {
            w.beginObject()
                    .field("key", r.capability().key())
                    .field("available", r.available())
                    .field("method", r.capability().kind().name().toLowerCase(Locale.ROOT))
                    .field("condition", r.capability().conditionId())
                    .field("evidence", r.evidence())
                    .field("returnCode", r.returnCode())
                    .endObject();
        }
        w.endArray().beginArray("components");
        for (ComponentStatus c : components.stream().sorted(ORDER).toList()) {
            w.beginObject()
                    .field("kind", c.kind().key())
                    .field("name", c.name())
                    .field("ranking", (long) c.ranking())
                    .field("available", c.available())
                    .field("variant", c.running().map(VariantVerdict::variant).orElse(null))
                    .beginArray("variants");
            for (VariantVerdict v : c.verdicts()) {
                w.beginObject()
                        .field("name", v.variant())
                        .field("artifact", v.artifact())
                        .field("accepted", v.accepted())
                        .field("errno", v.errno())
                        .field("reason", v.reason())
                        .field("injected", v.injected())
                        .endObject();
            }
            w.endArray().endObject();
        }
        return w.endArray().endObject().toString();
    }
}
