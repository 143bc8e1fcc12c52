package io.mapsnap.kernel.bpf;

/** One key/value pair read from a {@link BpfMap}. The arrays are copies owned by the caller. */
public record BpfMapEntry(byte[] key, byte[] value) {
}
