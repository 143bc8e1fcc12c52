package io.mapsnap.kernel.btf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed BTF blob such as {@code /sys/kernel/btf/vmlinux}, or a module's split BTF together with its base.
 *
 * <p>Everything that could be wrong with the blob is checked by {@link #parse(byte[])}; the queries here then
 * never fail on the data. Type records are decoded on first use and kept; names are indexed at parse time without
 * decoding them. Instances are immutable and safe to share between threads.
 *
 * <p>Type ids run from 1 to {@link #typeCount()}; 0 is {@code void}. A split BTF continues the ids (and string
 * offsets) of its base, and answers for the base's types as well as its own.
 */
public final class Btf {
    private final Btf base;
    private final ByteOrder byteOrder;
    private final BtfTypeSection types;
    private final BtfStrings strings;
    private final BtfNameIndex names;
    private final BtfTypeDecoder decoder;
    /**
     * Decoded types by {@code id - firstTypeId()}. Racy on purpose: two threads may decode the same record, and a
     * reference read without synchronisation is safe because every record's fields are final.
     */
    private final BtfType[] decoded;

    private Btf(Btf base, ByteOrder byteOrder, BtfTypeSection types, BtfStrings strings) {
        this.base = base;
        this.byteOrder = byteOrder;
        this.types = types;
        this.strings = strings;
        this.names = BtfNameIndex.build(types, strings);
        this.decoder = new BtfTypeDecoder(types, strings);
        this.decoded = new BtfType[types.count()];
    }

    /** Parses a complete (base) BTF blob such as {@code /sys/kernel/btf/vmlinux}. The array is copied. */
    public static Btf parse(byte[] blob) throws BtfFormatException {
        return parseOwned(blob.clone(), null);
    }

    /**
     * Parses split BTF (a module's {@code /sys/kernel/btf/<module>}) whose type ids and string offsets continue
     * after those of {@code base}. The array is copied.
     */
    public static Btf parse(byte[] blob, Btf base) throws BtfFormatException {
        return parseOwned(blob.clone(), Objects.requireNonNull(base, "base"));
    }

    /** Reads and parses a base BTF file. */
    public static Btf read(Path file) throws IOException, BtfFormatException {
        return parseOwned(Files.readAllBytes(file), null);
    }

    /** Reads and parses a split BTF file on top of {@code base}. */
    public static Btf read(Path file, Btf base) throws IOException, BtfFormatException {
        return parseOwned(Files.readAllBytes(file), Objects.requireNonNull(base, "base"));
    }

    private static Btf parseOwned(byte[] blob, Btf base) throws BtfFormatException {
        BtfHeader header = BtfHeader.read(blob);
        ByteBuffer data = ByteBuffer.wrap(blob).order(header.order());
        BtfStrings strings = BtfStrings.of(blob, header.stringStart(), header.stringEnd(), base == null ? null : base.strings);
        int firstId = base == null ? 1 : base.typeCount() + 1;
        BtfTypeSection types = BtfTypeSection.scan(data, header.typeStart(), header.typeEnd(), firstId);
        BtfTypeValidator.validate(types, strings, base);
        BtfContainmentCycles.reject(types);
        return new Btf(base, header.order(), types, strings);
    }

    /** The highest type id, counting the base's types for split BTF. */
    public int typeCount() {
        return types.lastId();
    }

    /** The first type id this blob defines: 1, or one past the base's last id for split BTF. */
    public int firstTypeId() {
        return types.firstId();
    }

    /** The base this split BTF continues, if it is split BTF. */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /** The byte order of the blob, as its magic told. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /**
     * The type with this id; {@link BtfVoid} for 0.
     *
     * @throws IndexOutOfBoundsException if {@code id} is not between 0 and {@link #typeCount()}
     */
    public BtfType type(int id) {
        Objects.checkIndex(id, typeCount() + 1);
        if (id == 0) {
            return BtfVoid.INSTANCE;
        }
        if (id < types.firstId()) {
            return base.type(id);
        }
        int index = id - types.firstId();
        BtfType type = decoded[index];
        if (type == null) {
            type = decoder.decode(id);
            decoded[index] = type;
        }
        return type;
    }

    /**
     * The kind of the type with this id, without decoding it.
     *
     * @throws IndexOutOfBoundsException if {@code id} is not between 0 and {@link #typeCount()}
     */
    public BtfKind kind(int id) {
        Objects.checkIndex(id, typeCount() + 1);
        if (id == 0) {
            return BtfKind.VOID;
        }
        return id < types.firstId() ? base.kind(id) : types.kind(id);
    }

    /** All types with this name, in id order (the base's first); empty for the empty name. */
    public List<BtfType> findByName(String name) {
        List<BtfType> found = base == null ? new ArrayList<>() : new ArrayList<>(base.findByName(name));
        for (int id : names.idsNamed(name)) {
            found.add(type(id));
        }
        return List.copyOf(found);
    }

    /** The type with the lowest id that has this name and is an instance of {@code type}. */
    public <T extends BtfType> Optional<T> findFirst(String name, Class<T> type) {
        if (base != null) {
            Optional<T> inBase = base.findFirst(name, type);
            if (inBase.isPresent()) {
                return inBase;
            }
        }
        for (int id : names.idsNamed(name)) {
            BtfType candidate = type(id);
            if (type.isInstance(candidate)) {
                return Optional.of(type.cast(candidate));
            }
        }
        return Optional.empty();
    }

    /** The struct with this name (the one with the lowest id should the blob hold more than one). */
    public Optional<BtfStruct> findStruct(String name) {
        return findFirst(name, BtfStruct.class);
    }

    /** The struct or union with this name; C gives both one tag namespace. */
    public Optional<BtfComposite> findComposite(String name) {
        return findFirst(name, BtfComposite.class);
    }

    /** The function with this name. */
    public Optional<BtfFunc> findFunc(String name) {
        return findFirst(name, BtfFunc.class);
    }

    /**
     * Whether the kernel offers a kfunc of this name, judged by a {@link BtfFunc} of that name in vmlinux (or
     * module) BTF. That is what the verifier resolves a kfunc call against. Kernels built with a recent pahole also
     * mark kfuncs with a {@code DECL_TAG "bpf_kfunc"}, but older ones do not, and registration happens in kfunc id
     * sets that BTF does not show, so the FUNC's presence is the check that works everywhere; a load can still
     * refuse a kfunc that is not registered for the program type.
     */
    public boolean hasKfunc(String name) {
        return findFunc(name).isPresent();
    }

    /** The id reached from {@code typeId} by looking through typedefs and const/volatile/restrict/type-tag. */
    public int resolveId(int typeId) {
        Objects.checkIndex(typeId, typeCount() + 1);
        int id = typeId;
        // Terminates: the parse rejected modifier chains that loop.
        while (id >= types.firstId() && isModifier(types.kind(id))) {
            id = types.sizeOrType(id);
        }
        return id != 0 && id < types.firstId() ? base.resolveId(id) : id;
    }

    private static boolean isModifier(BtfKind kind) {
        return switch (kind) {
            case TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG -> true;
            default -> false;
        };
    }

    /** The type reached from {@code typeId} by looking through typedefs and qualifiers. */
    public BtfType resolve(int typeId) {
        return type(resolveId(typeId));
    }

    /**
     * Whether the struct or union named {@code compositeName} (or the one a typedef of that name stands for) has a
     * member {@code memberName}, looking inside anonymous members too.
     */
    public boolean hasMember(String compositeName, String memberName) {
        return findMember(compositeName, memberName).isPresent();
    }

    /**
     * Where member {@code memberName} sits in the struct or union named {@code compositeName}, or, failing that,
     * reached from a typedef of that name (such as {@code atomic_t} or {@code spinlock_t}).
     */
    public Optional<BtfMemberLocation> findMember(String compositeName, String memberName) {
        Optional<BtfComposite> composite = findComposite(compositeName);
        if (composite.isEmpty()) {
            composite = findByName(compositeName).stream()
                    .filter(t -> t instanceof BtfTypedef)
                    .map(t -> resolve(t.id()))
                    .filter(BtfComposite.class::isInstance)
                    .map(BtfComposite.class::cast)
                    .findFirst();
        }
        return composite.flatMap(c -> findMember(c, memberName));
    }

    /**
     * Where member {@code memberName} sits in {@code composite} (a type of this {@code Btf}), also looking inside
     * anonymous struct and union members (through typedefs and qualifiers) the way C does: {@code struct
     * mm_struct} keeps nearly all its members in one anonymous struct so that {@code cpu_bitmap} can follow it.
     */
    public Optional<BtfMemberLocation> findMember(BtfComposite composite, String memberName) {
        if (memberName.isEmpty()) {
            return Optional.empty();
        }
        // Depth-first in declaration order, which is C's order too; iterative so deep nesting cannot overflow the stack.
        List<AnonymousLevel> path = new ArrayList<>();
        path.add(new AnonymousLevel(composite, null, 0));
        // A composite that did not hold the name once will not hold it the next time; skipping it keeps a
        // blob with many paths to the same anonymous struct from taking exponential time.
        BitSet searched = new BitSet();
        while (!path.isEmpty()) {
            AnonymousLevel level = path.getLast();
            if (level.next == level.composite.members().size()) {
                searched.set(level.composite.id());
                path.removeLast();
                continue;
            }
            BtfMember member = level.composite.members().get(level.next++);
            long bitOffset = level.bitOffset + member.bitOffset();
            if (member.name().equals(memberName)) {
                List<BtfMember> members = new ArrayList<>(path.size());
                for (AnonymousLevel enclosing : path.subList(1, path.size())) {
                    members.add(enclosing.via);
                }
                members.add(member);
                return Optional.of(new BtfMemberLocation(members, bitOffset));
            }
            if (member.isAnonymous() && resolve(member.typeId()) instanceof BtfComposite inner && !searched.get(inner.id())) {
                path.add(new AnonymousLevel(inner, member, bitOffset));
            }
        }
        return Optional.empty();
    }

    /** One composite on the way down through anonymous members, and how far its members have been searched. */
    private static final class AnonymousLevel {
        final BtfComposite composite;
        final BtfMember via;
        final long bitOffset;
        int next;

        AnonymousLevel(BtfComposite composite, BtfMember via, long bitOffset) {
            this.composite = composite;
            this.via = via;
            this.bitOffset = bitOffset;
        }
    }

    @Override
    public String toString() {
        return "Btf[types " + firstTypeId() + ".." + typeCount() + ", " + byteOrder + (base == null ? "" : ", split") + "]";
    }
}
