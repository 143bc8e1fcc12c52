package io.mapsnap.export;

/**
 * One pprof Function.
 *
 * @param id the nonzero function id
 * @param name string table index of its name (also written as the system name: our names come as the symbol
 *        table has them)
 */
record PprofFunction(long id, long name) {
}
