package io.mapsnap.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mapsnap.api.symbol.Frame;
import io.mapsnap.api.symbol.FrameKind;

/**
 * The pprof tables a profile's frames turn into: strings, mappings, functions and locations, each entry added once
 * and numbered from 1 in order of first use (0 means "none" in profile.proto).
 *
 * <p>
 * Addresses are <em>normalized</em>: a location's address is {@link Frame#moduleOffset()} (the file offset for user
 * code) in a mapping that starts at 0 with file offset 0. One library is mapped at a different base in every
 * process (ASLR), and most processes of a profile may have exited: a mapping per (module, build ID) with runtime
 * bases could describe only one of them, while file offsets are the same in all of them and are what a later
 * symbolizer needs (with the build ID) to find the code again.
 */
final class PprofTables {
    /** The mapping name of kernel frames that do not name a module (perf calls it [kernel.kallsyms]). */
    static final String KERNEL_MAPPING = "[kernel]";

    private final PprofStringTable strings = new PprofStringTable();
    private final Map<MappingKey, PprofMapping> mappings = new LinkedHashMap<>();
    private final Map<FunctionKey, PprofFunction> functions = new LinkedHashMap<>();
    private final Map<PprofLocation, PprofLocation> locations = new LinkedHashMap<>();

    private record MappingKey(String filename, String buildId) {
    }

    private record FunctionKey(String name, String module) {
    }

    PprofStringTable strings() {
        return strings;
    }

    /** The location of {@code frame}, added on first use. */
    long locationId(Frame frame) {
        String module = mappingName(frame);
        long mappingId = 0;
        long address = frame.address();
        if (module != null) {
            address = frame.moduleOffset();
            MappingKey key = new MappingKey(module, frame.buildId());
            PprofMapping mapping = mappings.computeIfAbsent(key,
                    k -> new PprofMapping(mappings.size() + 1, strings.index(k.filename()), strings.index(k.buildId()), 1));
            mappings.put(key, mapping.covering(address));
            mappingId = mapping.id();
        }
        long functionId = functionId(frame);
        PprofLocation candidate = new PprofLocation(0, mappingId, address, functionId);
        PprofLocation known = locations.get(candidate);
        if (known != null) {
            return known.id();
        }
        PprofLocation added = new PprofLocation(locations.size() + 1, mappingId, address, functionId);
        locations.put(candidate, added);
        return added.id();
    }

    /**
     * An unresolved frame gets a function named by its label ({@code module+0xoffset}). {@code go tool pprof -top}
     * (Go 1.19's) shows a location without lines as its mapping's base name — every unresolved frame of libc on one
     * line, {@code [libc.so.6]} — and one in no mapping as {@code <unknown>}; the label keeps the offsets apart and
     * says where to look. The mapping, address and build ID are written all the same, for a symbolizer that has the
     * binaries, and {@code has_functions} tells pprof not to symbolize the profile again on its own.
     */
    private long functionId(Frame frame) {
        FunctionKey key = new FunctionKey(frame.label(), frame.module());
        return functions.computeIfAbsent(key, k -> new PprofFunction(functions.size() + 1, strings.index(k.name())))
                .id();
    }

    /**
     * Kernel frames go to one {@value #KERNEL_MAPPING} mapping, or {@code [module]} for a kernel module, so pprof
     * treats them as unsymbolizable pseudo mappings (it never looks for a file whose name starts with '[').
     */
    private static String mappingName(Frame frame) {
        String module = frame.module();
        if (frame.kind() != FrameKind.KERNEL) {
            return module;
        }
        if (module == null || module.isEmpty() || module.equals(KERNEL_MAPPING)) {
            return KERNEL_MAPPING;
        }
        return module.startsWith("[") ? module : "[" + module + "]";
    }

    List<PprofMapping> mappings() {
        return List.copyOf(mappings.values());
    }

    List<PprofFunction> functions() {
        return List.copyOf(functions.values());
    }

    List<PprofLocation> locations() {
        return new ArrayList<>(locations.values());
    }
}
