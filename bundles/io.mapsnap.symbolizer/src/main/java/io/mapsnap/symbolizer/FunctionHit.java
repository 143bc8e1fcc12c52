package io.mapsnap.symbolizer;

/** A function found for an address: its name and how far into it the address lies. */
record FunctionHit(String name, long offset) {
}
