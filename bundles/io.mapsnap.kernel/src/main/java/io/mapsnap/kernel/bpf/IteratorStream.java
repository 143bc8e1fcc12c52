package io.mapsnap.kernel.bpf;

import java.io.IOException;
import java.io.InputStream;

import io.mapsnap.kernel.internal.syscall.Syscalls;

/** Reads a bpf_iter fd; each read(2) makes the kernel run the iterator program for more objects. */
final class IteratorStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final int fd;
    private final Syscalls sys;
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
            int n = sys.read(fd, b, off, Math.min(len, CHUNK));
            return n == 0 ? -1 : n;
        } catch (BpfException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sys.close(fd);
        }
    }
}
