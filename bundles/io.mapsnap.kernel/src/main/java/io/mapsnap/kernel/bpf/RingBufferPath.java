package io.mapsnap.kernel.bpf;

/** One way of consuming a ring buffer (see {@link RingBufferReader.Mode}). */
sealed interface RingBufferPath extends AutoCloseable permits MmapRingBuffer, LibbpfRingBuffer {
    int poll(int timeoutMs) throws BpfException;

    int consume() throws BpfException;

    @Override
    void close();
}
