package io.mapsnap.benchmarks;

import java.io.IOException;
import java.io.InputStream;

import io.mapsnap.iter.KfuncVmaSource;
import io.mapsnap.kernel.bpf.BpfException;
import io.mapsnap.kernel.bpf.BpfObject;
import io.mapsnap.kernel.bpf.RingBufferReader;

/**
 * A component of the walkers' end-to-end time: IterVmaWalker opens a {@link RingBufferReader} on the walker's
 * ring (MAPSNAP_WALK_RINGBUF_BYTES, 8 MiB) for every snapshot and closes it after, which maps and unmaps the ring
 * each time. Timed here on the kfunc walker's own object, loaded but never attached.
 */
final class RingReaderSetupCost {
    private RingReaderSetupCost() {
    }

    /** Wall time of {@code count} open + close pairs, after {@code warmUp} untimed ones. */
    static long[] measure(int warmUp, int count) throws BpfException, IOException {
        byte[] elf;
        try (InputStream in = KfuncVmaSource.class.getResourceAsStream("/bpf/kfunc_vma_walker.bpf.o")) {
            if (in == null) {
                throw new IOException("kfunc_vma_walker.bpf.o is missing from the iter bundle");
            }
            elf = in.readAllBytes();
        }
        try (BpfObject o = BpfObject.open("kfunc_vma_walker", elf)) {
            o.load();
            long[] ns = new long[count];
            for (int i = -warmUp; i < count; i++) {
                long t0 = System.nanoTime();
                try (RingBufferReader r = RingBufferReader.open(o.map("records"), rec -> { })) {
                    r.consume();
                }
                if (i >= 0) {
                    ns[i] = System.nanoTime() - t0;
                }
            }
            return ns;
        }
    }
}
