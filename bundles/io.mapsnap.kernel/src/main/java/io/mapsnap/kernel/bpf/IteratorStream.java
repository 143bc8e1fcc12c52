package io.mapsnap.kernel.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/** Reads a bpf_iter fd; each read(2) makes the kernel run the iterator program for more objects. */
final class IteratorStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final int fd;
    private final Syscalls sys;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(CHUNK);
    private boolean closed;

    IteratorStream(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("iterator stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        try {
            long n = sys.read(fd, buf.asSlice(0, Math.min(len, CHUNK)));
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
            return (int) n;
        } catch (BpfException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sys.close(fd);
            arena.close();
        }
    }
}
