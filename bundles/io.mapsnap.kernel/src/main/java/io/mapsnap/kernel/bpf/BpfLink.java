package io.mapsnap.kernel.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;

import io.mapsnap.kernel.internal.libbpf.Libbpf;
import io.mapsnap.kernel.internal.syscall.Syscalls;

/** An attachment of a program (bpf_link). Closing detaches; the owning {@link BpfObject} closes it too. */
public final class BpfLink implements AutoCloseable {
    private final BpfObject owner;
    private final Libbpf lib;
    private MemorySegment link;

    BpfLink(BpfObject owner, MemorySegment link) {
        this.owner = owner;
        this.lib = owner.lib;
        this.link = link;
    }

    /** The link's fd. */
    public synchronized int fd() {
        requireOpen();
        return lib.linkFd(link);
    }

    /**
     * Runs an iterator link once and returns everything it wrote (bpf_iter_create, then read until EOF).
     */
    public byte[] readIterator() throws BpfException {
        try (InputStream in = openIterator()) {
            return in.readAllBytes();
        } catch (IOException e) {
            if (e.getCause() instanceof BpfException b) {
                throw b;
            }
            throw new BpfException("read", Errno.EIO, e.getMessage());
        }
    }

    /**
     * Starts one run of an iterator link and streams its output; the program runs as the stream is read. Close the
     * stream to release the iterator fd. A read failure is an {@link IOException} whose cause is the
     * {@link BpfException}.
     */
    public InputStream openIterator() throws BpfException {
        Syscalls sys = Syscalls.get();
        int iterFd = lib.iterCreate(fd());
        return new IteratorStream(sys, iterFd);
    }

    private synchronized void requireOpen() {
        if (link == null) {
            throw new IllegalStateException("link is closed");
        }
    }

    @Override
    public void close() {
        MemorySegment l;
        synchronized (this) {
            l = link;
            link = null;
        }
        if (l != null) {
            lib.linkDestroy(l);
            owner.untrack(this);
        }
    }
}
