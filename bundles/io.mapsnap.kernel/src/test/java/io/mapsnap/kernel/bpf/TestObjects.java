package io.mapsnap.kernel.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The BPF objects build.sh compiled into target/classes/bpf (test classpath resources /bpf/NAME.bpf.o). */
final class TestObjects {
    private TestObjects() {
    }

    static byte[] elf(String name) {
        String path = "/bpf/" + name + ".bpf.o";
        try (InputStream in = TestObjects.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the test classpath: is " + name
                        + " listed in <bpf.programs> of bundles/io.mapsnap.kernel/pom.xml?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BpfObject open(String name) throws BpfException {
        return BpfObject.open(name, elf(name));
    }

    static int pid() {
        return (int) ProcessHandle.current().pid();
    }

    /** Makes this thread enter the kernel a few times (sys_enter fires for each). */
    static void syscalls(int n) {
        for (int i = 0; i < n; i++) {
            try {
                Thread.sleep(0, 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            new java.io.File("/proc/self").exists();
        }
    }
}
