package io.mapsnap.kernel.vma;

import java.nio.ByteBuffer;

/**
 * The paths a decoder built lately, by the record bytes they came from: every VMA of a file, and every walk of a
 * process that runs the same binaries as the last one (a build's compilers, a shell's children), carries the same
 * names, so each is split and joined once and the snapshots share one String. Direct-mapped and bounded: a miss only
 * costs the decoding it would have cost anyway.
 */
final class DecodedPaths {
    private static final int SLOTS = 512;
    private final long[] inodes = new long[SLOTS];
    private final int[] shapes = new int[SLOTS];
    private final byte[][] names = new byte[SLOTS][];
    private final String[] paths = new String[SLOTS];

    /** The path decoded before from these {@code length} name bytes at {@code offset} and this shape, or null. */
    String find(ByteBuffer b, int offset, int length, long inode, int shape) {
        int slot = slot(b, offset, length, inode, shape);
        byte[] kept = names[slot];
        if (kept == null || inodes[slot] != inode || shapes[slot] != shape || kept.length != length
                || b.slice(offset, length).mismatch(ByteBuffer.wrap(kept)) != -1) {
            return null;
        }
        return paths[slot];
    }

    /** Remembers {@code path} as what those bytes decode to. */
    void keep(ByteBuffer b, int offset, int length, long inode, int shape, String path) {
        int slot = slot(b, offset, length, inode, shape);
        byte[] bytes = new byte[length];
        b.get(offset, bytes);
        inodes[slot] = inode;
        shapes[slot] = shape;
        names[slot] = bytes;
        paths[slot] = path;
    }

    private static int slot(ByteBuffer b, int offset, int length, long inode, int shape) {
        int h = Long.hashCode(inode) * 31 + shape;
        // The leaf name comes first and differs most; its first bytes and the length are enough to spread.
        for (int i = 0; i < Math.min(length, 16); i++) {
            h = h * 31 + b.get(offset + i);
        }
        h ^= length * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
