package io.mapsnap.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.mapsnap.kernel.internal.libbpf.Libbpf;

/** The binding itself: version check, symbol presence, errno names. */
class LibbpfBindingTest {
    @Test
    void reportsItsVersion() throws BpfException {
        Libbpf lib = Libbpf.get();
        System.out.println("libbpf " + lib.majorVersion() + "." + lib.minorVersion());
        assertTrue(lib.majorVersion() >= 1);
        assertTrue(lib.hasMapLookupBatch());
        assertTrue(lib.hasRingBuffer());
        assertTrue(lib.numPossibleCpus() >= 1);
        assertTrue(Libbpf.get() == lib, "one binding per process");
    }

    @Test
    void missingLibraryIsATypedException() {
        LibbpfUnavailableException e = assertThrows(LibbpfUnavailableException.class,
                () -> Libbpf.load("libbpf.so.0.does-not-exist"));
        assertEquals("dlopen", e.call());
        assertTrue(e.getMessage().contains("libbpf.so.0.does-not-exist"), e.getMessage());
    }

    @Test
    void libraryWithoutTheSymbolsIsATypedException() {
        // libc loads fine but is not libbpf: the version check's dlsym fails.
        LibbpfUnavailableException e = assertThrows(LibbpfUnavailableException.class, () -> Libbpf.load("libc.so.6"));
        assertEquals("dlsym", e.call());
        assertTrue(e.getMessage().contains("lacks libbpf_major_version"), e.getMessage());
        assertTrue(e instanceof BpfException);
    }

    @Test
    void namesErrnos() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("EBUSY", Errno.name(-16));
        assertEquals("EOPNOTSUPP", Errno.name(95));
        assertEquals("ENOTSUPP", Errno.name(524));
        assertEquals("E2BIG", Errno.name(7));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("LIBBPF_ERRNO__FORMAT", Errno.name(4001));
        assertEquals("errno=999", Errno.name(999));
        assertEquals("EBUSY (16)", Errno.describe(16));
        BpfException e = new BpfException("bpf_object__load", 1);
        assertEquals("EPERM", e.errnoName());
        assertEquals("bpf_object__load failed: EPERM (1)", e.getMessage());
    }
}
