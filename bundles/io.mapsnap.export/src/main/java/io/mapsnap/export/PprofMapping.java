package io.mapsnap.export;

/**
 * One pprof Mapping: a module (file, kernel or pseudo mapping) with its build ID. Addresses of its locations are
 * normalized (relative to the module, see {@link PprofTables}), so the mapping starts at 0 and ends after the highest
 * address seen.
 *
 * @param id the nonzero mapping id
 * @param filename string table index of the module's path or {@code [kernel]}-style name
 * @param buildId string table index of the ELF build ID (hex), 0 when unknown
 * @param limit one past the highest location address in it (unsigned), at least 1
 */
record PprofMapping(long id, long filename, long buildId, long limit) {
    PprofMapping covering(long address) {
        long end = address == -1L ? -1L : address + 1;
        return Long.compareUnsigned(end, limit) > 0 ? new PprofMapping(id, filename, buildId, end) : this;
    }
}
