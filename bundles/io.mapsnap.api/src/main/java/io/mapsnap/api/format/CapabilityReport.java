package io.mapsnap.api.format;

import java.util.List;
import java.util.Locale;

import io.mapsnap.api.capability.CapabilityResult;
import io.mapsnap.api.capability.KernelCapabilities;

/** {@code mapsnap caps} as a table for people and as JSON (schema {@code mapsnap.caps/1}) for programs. */
public final class CapabilityReport {
    /** The value of the {@code schema} key; bumped when a key changes meaning. */
    public static final String SCHEMA = "mapsnap.caps/1";

    private CapabilityReport() {
    }

    /** One row per capability: key, yes/no, how it was measured, evidence. */
    public static String table(KernelCapabilities caps) {
        List<CapabilityResult> results = caps.results();
        int width = results.stream().mapToInt(r -> r.capability().key().length()).max().orElse(10);
        String row = "%-" + width + "s  %-3s  %-9s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append("kernel ").append(caps.kernelRelease()).append(' ').append(caps.machine()).append('\n');
        sb.append(String.format(row, "capability", "ok", "how", "evidence"));
        for (CapabilityResult r : results) {
            sb.append(String.format(row, r.capability().key(), r.available() ? "yes" : "no",
                    r.capability().kind().name().toLowerCase(Locale.ROOT), r.evidence()));
        }
        long held = results.stream().filter(CapabilityResult::available).count();
        sb.append(held).append(" of ").append(results.size()).append(" capabilities hold");
        return sb.toString();
    }

    /** The same as one JSON object: {@code schema, kernelRelease, machine, capabilities[]}. */
    public static String json(KernelCapabilities caps) {
        JsonWriter w = new JsonWriter().beginObject()
                .field("schema", SCHEMA)
                .field("kernelRelease", caps.kernelRelease())
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
        return w.endArray().endObject().toString();
    }
}
