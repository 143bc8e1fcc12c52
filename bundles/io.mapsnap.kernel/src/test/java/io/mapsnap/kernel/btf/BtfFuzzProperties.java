package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated real BTF either parses or is rejected with {@link BtfFormatException}: never another exception, never a
 * hang, and a blob that parses answers every query without failing.
 */
class BtfFuzzProperties {
    /** Names whose lookups run after each successful parse: present, absent, and the ones mapsnap relies on. */
    private static final List<String> NAMES = List.of("task_struct", "mm_struct", "vm_area_struct", "maple_tree",
            "bpf_iter_task_vma_new", "bpf_task_work_schedule_resume_impl", "bpf_kfunc", "rcu", "int", "", "no_such_name");
    private static final List<String> MEMBERS = List.of("mm_mt", "mmap", "vm_next", "vm_start", "pid", "mm", "");
    /** Generous: a try takes milliseconds; only a loop gets near this. */
    private static final Duration PER_TRY = Duration.ofSeconds(20);

    private static byte[] vmlinux;
    private static byte[][] seeds;

    @BeforeContainer
    static void cutSeeds() throws IOException, BtfFormatException {
        vmlinux = HostKernelBtf.vmlinuxBytes();
        Btf kernel = Btf.parse(vmlinux);
        List<String> roots = List.of("task_struct", "mm_struct", "vm_area_struct", "bpf_iter_task_vma_new",
                "bpf_task_work_schedule_resume_impl", "perf_callchain_context", "rpm_status", "static_key_mod",
                "crypto_no_such_thing", "double", ".data..percpu", "address_space(1)");
        seeds = new byte[][] {
                VmlinuxExcerpt.cut(kernel, roots, 200, 1500, ByteOrder.LITTLE_ENDIAN),
                VmlinuxExcerpt.cut(kernel, roots, 200, 1500, ByteOrder.BIG_ENDIAN),
                VmlinuxExcerpt.cut(kernel, roots, 40, 120, ByteOrder.LITTLE_ENDIAN),
                BtfKindsTest.write(BtfKindsTest.everyKind(), ByteOrder.BIG_ENDIAN),
        };
    }

    @Example
    void seedsAreValidAndCoverEveryKind() throws BtfFormatException {
        for (byte[] seed : seeds) {
            Btf btf = Btf.parse(seed);
            exercise(btf, 1);
        }
        Btf excerpt = Btf.parse(seeds[0]);
        Set<BtfKind> kinds = EnumSet.noneOf(BtfKind.class);
        for (int id = 1; id <= excerpt.typeCount(); id++) {
            kinds.add(excerpt.kind(id));
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(BtfKind.VOID)), kinds);
        assertTrue(excerpt.hasMember("mm_struct", "mm_mt"));
        assertTrue(excerpt.hasKfunc("bpf_iter_task_vma_new"));
        System.out.printf("BTF fuzz seeds: %s bytes%n", Arrays.stream(seeds).map(s -> String.valueOf(s.length)).toList());
    }

    @Property(tries = 300)
    void mutatedExcerptsParseOrAreRejected(@ForAll @IntRange(min = 0, max = 3) int seed, @ForAll("mutations") List<Mutation> mutations) {
        byte[] blob = seeds[seed];
        for (Mutation m : mutations) {
            blob = m.apply(blob);
        }
        parseAndQuery(blob, 1);
    }

    @Property(tries = 12)
    void mutatedVmlinuxParsesOrIsRejected(@ForAll("mutations") List<Mutation> mutations) {
        byte[] blob = vmlinux;
        for (Mutation m : mutations) {
            blob = m.apply(blob);
        }
        // Every 97th type: decoding all 126k types per try would dominate the run time.
        parseAndQuery(blob, 97);
    }

    private static void parseAndQuery(byte[] blob, int idStride) {
        String outcome = assertTimeoutPreemptively(PER_TRY, () -> {
            Btf btf;
            try {
                btf = Btf.parse(blob);
            } catch (BtfFormatException rejected) {
                assertTrue(rejected.offset() >= 0 && rejected.offset() <= blob.length, rejected::getMessage);
                // The problem without its numbers, so the report shows which checks the mutations reach.
                return "rejected: " + rejected.problem().replaceAll("[0-9a-fx]*[0-9][0-9a-fx]*", "N");
            }
            exercise(btf, idStride);
            return "parsed";
        });
        // Statistics only work on jqwik's thread, not on the one the timeout runs the try in.
        Statistics.label("outcome").collect(outcome);
    }

    private static void exercise(Btf btf, int idStride) {
        for (int id = 0; id <= btf.typeCount(); id += idStride) {
            BtfType type = btf.type(id);
            btf.resolve(id);
            if (type instanceof BtfComposite composite) {
                for (String member : MEMBERS) {
                    btf.findMember(composite, member);
                }
            }
            if (type.kind() != btf.kind(id)) {
                throw new AssertionError("kind of " + id);
            }
        }
        for (String name : NAMES) {
            btf.findByName(name).forEach(t -> btf.resolve(t.id()));
            btf.findStruct(name);
            btf.findFunc(name);
            btf.hasKfunc(name);
            for (String member : MEMBERS) {
                btf.hasMember(name, member);
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Integer> interesting = Arbitraries.oneOf(
                Arbitraries.integers(),
                Arbitraries.integers().between(-16, 16),
                Arbitraries.of(0x7fff_ffff, 0x8000_0000, 0xffff_fff4, 0xffff, 0x1_0000, 0x0fff_ffff, 0x1f00_0000, 0x8000_0000 | 4 << 24));
        Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.bytes()).as(SetByte::new);
        Arbitrary<Boolean> fitHeader = Arbitraries.of(true, false);
        Arbitrary<Mutation> truncate = Combinators.combine(at, fitHeader).as(Truncate::new);
        Arbitrary<Mutation> header = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2), interesting)
                .as(SetHeaderWord::new);
        Arbitrary<Mutation> word = Combinators.combine(at, interesting, Arbitraries.integers().between(0, 2)).as(SetTypeWord::new);
        Arbitrary<Mutation> insert = Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24), fitHeader).as(Insert::new);
        Arbitrary<Mutation> delete = Combinators.combine(at, Arbitraries.integers().between(1, 64), fitHeader).as(Delete::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(4, flip),
                        Tuple.of(2, truncate),
                        Tuple.of(2, header),
                        Tuple.of(6, word),
                        Tuple.of(2, insert),
                        Tuple.of(2, delete))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    /** One change to a blob; positions are fractions of the current length so they survive earlier changes. */
    sealed interface Mutation {
        byte[] apply(byte[] blob);

        static int position(double at, int length) {
            return Math.min(length - 1, (int) (at * length));
        }

        /**
         * Adjusts the section lengths and offsets after {@code removed} bytes (negative: inserted) went missing at
         * {@code position}, so the damage reaches the type and string parsing instead of stopping at the header.
         */
        static byte[] resized(byte[] blob, int position, int removed) {
            if (blob.length < 24 || position < 24) {
                return blob;
            }
            ByteBuffer b = ByteBuffer.wrap(blob).order(order(blob));
            long hdrLen = Integer.toUnsignedLong(b.getInt(4));
            for (int field = 8; field <= 16; field += 8) {
                long start = hdrLen + Integer.toUnsignedLong(b.getInt(field));
                long end = start + Integer.toUnsignedLong(b.getInt(field + 4));
                if (position >= start && position <= end) {
                    b.putInt(field + 4, (int) Math.max(0, Math.min(end - start - removed, blob.length - start)));
                } else if (position < start) {
                    b.putInt(field, (int) (start - hdrLen - removed));
                }
            }
            return blob;
        }

        static ByteOrder order(byte[] blob) {
            return blob.length > 0 && (blob[0] & 0xff) == 0xeb ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    record SetByte(double at, byte value) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            if (blob.length == 0) {
                return blob;
            }
            byte[] copy = blob.clone();
            copy[Mutation.position(at, copy.length)] = value;
            return copy;
        }
    }

    record Truncate(double at, boolean fitHeader) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            int length = (int) (at * blob.length);
            byte[] out = Arrays.copyOf(blob, length);
            return fitHeader ? Mutation.resized(out, length, blob.length - length) : out;
        }
    }

    /** Sets hdr_len, type_off, type_len, str_off or str_len to a raw value, a nudge, or near the blob's length. */
    record SetHeaderWord(int field, int mode, int value) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            if (blob.length < 24) {
                return blob;
            }
            ByteBuffer copy = ByteBuffer.wrap(blob.clone()).order(Mutation.order(blob));
            int current = copy.getInt(4 * field);
            copy.putInt(4 * field, switch (mode) {
                case 0 -> value;
                case 1 -> current + value % 64;
                default -> blob.length + value % 64;
            });
            return copy.array();
        }
    }

    /** Overwrites an aligned word of the type section: name offsets, info (kind, vlen, flag), sizes, type ids. */
    record SetTypeWord(double at, int value, int mode) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            if (blob.length < 28) {
                return blob;
            }
            ByteBuffer copy = ByteBuffer.wrap(blob.clone()).order(Mutation.order(blob));
            long typeStart = Integer.toUnsignedLong(copy.getInt(4)) + Integer.toUnsignedLong(copy.getInt(8));
            long typeLen = Integer.toUnsignedLong(copy.getInt(12));
            long end = Math.min(blob.length - 4L, typeStart + typeLen - 4);
            if (typeStart < 0 || typeStart > end) {
                return blob;
            }
            int word = (int) ((typeStart + (long) (at * (end - typeStart))) & ~3L);
            if (word < 0 || word > blob.length - 4) {
                return blob;
            }
            int current = copy.getInt(word);
            copy.putInt(word, switch (mode) {
                case 0 -> value;
                case 1 -> current ^ 1 << (value & 31);
                default -> current + value % 16;
            });
            return copy.array();
        }
    }

    record Insert(double at, byte[] bytes, boolean fitHeader) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            int p = (int) (at * blob.length);
            byte[] out = new byte[blob.length + bytes.length];
            System.arraycopy(blob, 0, out, 0, p);
            System.arraycopy(bytes, 0, out, p, bytes.length);
            System.arraycopy(blob, p, out, p + bytes.length, blob.length - p);
            return fitHeader ? Mutation.resized(out, p, -bytes.length) : out;
        }
    }

    record Delete(double at, int count, boolean fitHeader) implements Mutation {
        @Override
        public byte[] apply(byte[] blob) {
            int p = (int) (at * blob.length);
            int n = Math.min(count, blob.length - p);
            byte[] out = new byte[blob.length - n];
            System.arraycopy(blob, 0, out, 0, p);
            System.arraycopy(blob, p + n, out, p, blob.length - p - n);
            return fitHeader ? Mutation.resized(out, p, n) : out;
        }
    }
}
