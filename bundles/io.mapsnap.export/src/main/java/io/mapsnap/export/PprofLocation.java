package io.mapsnap.export;

/**
 * One pprof Location: where in a mapping, and which function (one Line; we know no inlining or line numbers).
 *
 * @param id the nonzero location id
 * @param mappingId its mapping, 0 when the address lay in no known mapping
 * @param address the normalized address (module offset), or the raw address without a mapping
 * @param functionId its function
 */
record PprofLocation(long id, long mappingId, long address, long functionId) {
}
