package io.mapsnap.symbolizer;

import java.util.List;

/**
 * What the symbolizer keeps of one ELF file: how file offsets map to link-time addresses, and its functions.
 *
 * @param buildId the GNU build ID as lower-case hex, or {@code null}
 * @param loads the PT_LOAD segments
 * @param functions function symbols from every table found (.symtab, .dynsym, MiniDebugInfo, a debug file)
 * @param problem why symbols are missing or partial (logged once per file), or {@code null}
 */
record ModuleSymbols(String buildId, List<LoadSegment> loads, FunctionTable functions, String problem) {
    ModuleSymbols {
        loads = List.copyOf(loads);
    }

    /** A file that could not be read at all. */
    static ModuleSymbols unreadable(String buildId, String problem) {
        return new ModuleSymbols(buildId, List.of(), FunctionTable.EMPTY, problem);
    }

    /** The function holding the code at {@code fileOffset}, or {@code null}. */
    FunctionHit lookup(long fileOffset) {
        for (LoadSegment load : loads) {
            long address = load.toVirtualAddress(fileOffset);
            if (address != -1) {
                return functions.lookup(address);
            }
        }
        return null;
    }
}
