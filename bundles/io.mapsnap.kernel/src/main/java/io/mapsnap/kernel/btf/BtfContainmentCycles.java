package io.mapsnap.kernel.btf;

/**
 * Rejects types that contain themselves by value: a typedef or qualifier chain back to itself, an array of
 * itself, a struct with itself as a member. C cannot express these and the kernel refuses them; checking once at
 * parse lets {@link Btf#resolve(int)} and member lookups walk without cycle guards. Pointers and function
 * prototypes break containment, so {@code struct list_head { struct list_head *next; }} is fine.
 *
 * <p>Iterative depth-first search: a chain of 100 000 typedefs must not overflow the Java stack.
 */
final class BtfContainmentCycles {
    private static final byte UNSEEN = 0;
    private static final byte ON_PATH = 1;
    private static final byte DONE = 2;

    private BtfContainmentCycles() {
    }

    static void reject(BtfTypeSection types) throws BtfFormatException {
        int count = types.count();
        int first = types.firstId();
        byte[] state = new byte[count];
        int[] pathIds = new int[count];
        int[] pathNextEdge = new int[count];
        for (int root = first; root <= types.lastId(); root++) {
            if (state[root - first] != UNSEEN) {
                continue;
            }
            int depth = 0;
            pathIds[depth] = root;
            pathNextEdge[depth] = 0;
            depth++;
            state[root - first] = ON_PATH;
            while (depth > 0) {
                int id = pathIds[depth - 1];
                int edge = pathNextEdge[depth - 1]++;
                int target = containedType(types, id, edge);
                if (target < 0) {
                    state[id - first] = DONE;
                    depth--;
                    continue;
                }
                if (!types.owns(target)) {
                    // void, or a type of the base BTF, which was checked when the base was parsed
                    continue;
                }
                byte seen = state[target - first];
                if (seen == ON_PATH) {
                    throw new BtfFormatException(types.offset(id), "type " + id + " (" + types.kind(id) + ") contains type " + target
                            + " (" + types.kind(target) + "), which itself contains type " + id + ": a reference cycle");
                }
                if (seen == UNSEEN) {
                    state[target - first] = ON_PATH;
                    pathIds[depth] = target;
                    pathNextEdge[depth] = 0;
                    depth++;
                }
            }
        }
    }

    /** The {@code edge}-th type that {@code id} contains by value, or -1 when there is none. */
    private static int containedType(BtfTypeSection types, int id, int edge) {
        return switch (types.kind(id)) {
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> edge == 0 ? types.sizeOrType(id) : -1;
            case ARRAY -> edge == 0 ? types.word(id, 0) : -1;
            case STRUCT, UNION -> edge < types.vlen(id) ? types.word(id, 3 * edge + 1) : -1;
            default -> -1;
        };
    }
}
