package io.mapsnap.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A map of a {@link BpfObject}, addressed with byte arrays. For per-CPU maps a value holds one slot per possible
 * CPU, each rounded up to 8 bytes ({@link #valueBufferSize()}).
 */
public final class BpfMap {
    public static final long BPF_ANY = 0;
    public static final long BPF_NOEXIST = 1;
    public static final long BPF_EXIST = 2;

    public static final int TYPE_HASH = 1;
    public static final int TYPE_ARRAY = 2;
    public static final int TYPE_PERCPU_HASH = 5;
    public static final int TYPE_PERCPU_ARRAY = 6;
    public static final int TYPE_LRU_PERCPU_HASH = 10;
    public static final int TYPE_PERCPU_CGROUP_STORAGE = 21;
    public static final int TYPE_RINGBUF = 27;

    private static final int BATCH_CHUNK = 256;

    private final BpfObject owner;
    private final MemorySegment map;
    private final String name;

    BpfMap(BpfObject owner, MemorySegment map) {
        this.owner = owner;
        this.map = map;
        this.name = owner.lib.mapName(map);
    }

    MemorySegment handle() {
        return map;
    }

    public String name() {
        return name;
    }

    /** The map fd after load (negative before). */
    public int fd() {
        owner.requireOpen(null);
        return owner.lib.mapFd(map);
    }

    /** {@code enum bpf_map_type}, see the TYPE_ constants. */
    public int type() {
        owner.requireOpen(null);
        return owner.lib.mapType(map);
    }

    public int keySize() {
        owner.requireOpen(null);
        return owner.lib.mapKeySize(map);
    }

    public int valueSize() {
        owner.requireOpen(null);
        return owner.lib.mapValueSize(map);
    }

    public int maxEntries() {
        owner.requireOpen(null);
        return owner.lib.mapMaxEntries(map);
    }

    /** Before its object loads: creates the map with {@code maxEntries} (for a ring buffer, its size in bytes). */
    public void setMaxEntries(int maxEntries) throws BpfException {
        owner.requireOpen(false);
        owner.lib.mapSetMaxEntries(map, maxEntries);
    }

    public boolean isPerCpu() {
        int t = type();
        return t == TYPE_PERCPU_HASH || t == TYPE_PERCPU_ARRAY || t == TYPE_LRU_PERCPU_HASH
                || t == TYPE_PERCPU_CGROUP_STORAGE;
    }

    /** Bytes a lookup returns: valueSize, or roundup(valueSize, 8) x possible CPUs for per-CPU maps. */
    public int valueBufferSize() throws BpfException {
        if (!isPerCpu()) {
            return valueSize();
        }
        return ((valueSize() + 7) & ~7) * owner.lib.numPossibleCpus();
    }

    /** The value of {@code key}, empty when absent (ENOENT). */
    public Optional<byte[]> lookup(byte[] key) throws BpfException {
        requireLoaded();
        checkKey(key);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocateFrom(JAVA_BYTE, key);
            MemorySegment v = arena.allocate(valueBufferSize(), 8);
            if (!owner.lib.mapLookupElem(fd(), k, v)) {
                return Optional.empty();
            }
            return Optional.of(v.toArray(JAVA_BYTE));
        }
    }

    /** Creates or replaces ({@link #BPF_ANY}), only creates ({@link #BPF_NOEXIST}) or only replaces ({@link #BPF_EXIST}). */
    public void update(byte[] key, byte[] value, long flags) throws BpfException {
        requireLoaded();
        checkKey(key);
        int size = valueBufferSize();
        if (value.length != size) {
            throw new IllegalArgumentException("map " + name + " values are " + size + " bytes, got " + value.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            owner.lib.mapUpdateElem(fd(), arena.allocateFrom(JAVA_BYTE, key), arena.allocateFrom(JAVA_BYTE, value), flags);
        }
    }

    /** Deletes {@code key}; false when it was absent. Array maps refuse with EINVAL. */
    public boolean delete(byte[] key) throws BpfException {
        requireLoaded();
        checkKey(key);
        try (Arena arena = Arena.ofConfined()) {
            return owner.lib.mapDeleteElem(fd(), arena.allocateFrom(JAVA_BYTE, key));
        }
    }

    /** The key after {@code key} ({@code null}: the first key); empty after the last. */
    public Optional<byte[]> nextKey(byte[] key) throws BpfException {
        requireLoaded();
        if (key != null) {
            checkKey(key);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = key == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, key);
            MemorySegment next = arena.allocate(keySize(), 8);
            if (!owner.lib.mapGetNextKey(fd(), k, next)) {
                return Optional.empty();
            }
            return Optional.of(next.toArray(JAVA_BYTE));
        }
    }

    /**
     * Every entry through BPF_MAP_LOOKUP_BATCH (kernel 5.6+, hash and array maps). Throws a {@link BpfException}
     * (EINVAL, EOPNOTSUPP or ENOTSUPP, call {@code bpf_map_lookup_batch}) where the kernel, the map type or libbpf
     * lacks batch lookup: that is the signal to use {@link #entries()} or {@link #nextKey(byte[])}.
     */
    public List<BpfMapEntry> lookupBatch() throws BpfException {
        requireLoaded();
        int keySize = keySize();
        int valueSize = valueBufferSize();
        List<BpfMapEntry> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            // Hash maps use a u32 bucket cursor, arrays a key: room for both.
            long tokenSize = Math.max(keySize, 8);
            MemorySegment in = arena.allocate(tokenSize, 8);
            MemorySegment outToken = arena.allocate(tokenSize, 8);
            MemorySegment keys = arena.allocate((long) keySize * BATCH_CHUNK, 8);
            MemorySegment values = arena.allocate((long) valueSize * BATCH_CHUNK, 8);
            MemorySegment count = arena.allocate(JAVA_INT);
            boolean first = true;
            while (true) {
                count.set(JAVA_INT, 0, BATCH_CHUNK);
                boolean more = owner.lib.mapLookupBatch(fd(), first ? MemorySegment.NULL : in, outToken, keys, values,
                        count);
                int n = count.get(JAVA_INT, 0);
                for (int i = 0; i < n; i++) {
                    out.add(new BpfMapEntry(keys.asSlice((long) i * keySize, keySize).toArray(JAVA_BYTE),
                            values.asSlice((long) i * valueSize, valueSize).toArray(JAVA_BYTE)));
                }
                if (!more) {
                    return out;
                }
                MemorySegment.copy(outToken, 0, in, 0, tokenSize);
                first = false;
            }
        }
    }

    /** Every entry: batch lookup where supported, otherwise get_next_key + lookup (not atomic either way). */
    public List<BpfMapEntry> entries() throws BpfException {
        try {
            return lookupBatch();
        } catch (BpfException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENOTSUPP) {
                throw e;
            }
        }
        List<BpfMapEntry> out = new ArrayList<>();
        Optional<byte[]> key = nextKey(null);
        while (key.isPresent()) {
            byte[] k = key.get();
            Optional<byte[]> v = lookup(k);
            if (v.isPresent()) {
                out.add(new BpfMapEntry(k, v.get()));
            }
            key = nextKey(k);
        }
        return out;
    }

    private void requireLoaded() {
        owner.requireOpen(true);
    }

    private void checkKey(byte[] key) {
        if (key.length != keySize()) {
            throw new IllegalArgumentException("map " + name + " keys are " + keySize() + " bytes, got " + key.length);
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }
}
