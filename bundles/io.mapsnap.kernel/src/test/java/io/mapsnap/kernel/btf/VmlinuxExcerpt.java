package io.mapsnap.kernel.btf;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * A small, valid BTF blob cut from a real one: the types named as roots and what they refer to, up to a limit,
 * renumbered and written anew. References past the limit become {@code void}. Fuzzing mutates this instead of
 * all of vmlinux so that each try takes milliseconds while still looking like what pahole writes.
 */
final class VmlinuxExcerpt {
    private VmlinuxExcerpt() {
    }

    static byte[] cut(Btf source, List<String> rootNames, int firstIds, int maxTypes, ByteOrder order) {
        Map<Integer, Integer> newIds = new LinkedHashMap<>();
        ArrayDeque<Integer> pending = new ArrayDeque<>();
        for (int id = 1; id <= Math.min(firstIds, source.typeCount()); id++) {
            take(id, newIds, pending);
        }
        for (String name : rootNames) {
            source.findByName(name).forEach(t -> take(t.id(), newIds, pending));
        }
        // One type of each kind, whatever the roots happened to reach: anonymous kinds like RESTRICT have no name to ask for.
        Set<BtfKind> kinds = EnumSet.of(BtfKind.VOID);
        for (int id = 1; id <= source.typeCount(); id++) {
            if (kinds.add(source.kind(id))) {
                take(id, newIds, pending);
            }
        }
        while (!pending.isEmpty()) {
            BtfType type = source.type(pending.poll());
            // A FUNC without its FUNC_PROTO would be rejected, so prototypes come along past the limit.
            boolean mandatory = type instanceof BtfFunc;
            renumber(type, 0, id -> {
                if (id != 0 && (newIds.size() < maxTypes || mandatory)) {
                    take(id, newIds, pending);
                }
                return id;
            });
        }
        // The kfunc tags on the functions that made it in.
        for (int id = 1; id <= source.typeCount(); id++) {
            if (source.type(id) instanceof BtfDeclTag tag && newIds.containsKey(tag.typeId())) {
                take(id, newIds, pending);
            }
        }
        BtfBlobBuilder out = BtfBlobBuilder.base();
        for (int oldId : newIds.keySet()) {
            out.add(renumber(source.type(oldId), newIds.get(oldId), id -> newIds.getOrDefault(id, 0)));
        }
        return out.build(order);
    }

    private static void take(int id, Map<Integer, Integer> newIds, ArrayDeque<Integer> pending) {
        if (!newIds.containsKey(id)) {
            newIds.put(id, newIds.size() + 1);
            pending.add(id);
        }
    }

    /** The same type with id {@code newId} and every type id it holds passed through {@code map}. */
    static BtfType renumber(BtfType t, int newId, IntUnaryOperator map) {
        return switch (t) {
            case BtfVoid v -> v;
            case BtfInt i -> new BtfInt(newId, i.name(), i.size(), i.encoding(), i.bitOffset(), i.bits());
            case BtfPtr p -> new BtfPtr(newId, p.name(), map.applyAsInt(p.typeId()));
            case BtfArray a -> new BtfArray(newId, a.name(), map.applyAsInt(a.elementTypeId()), map.applyAsInt(a.indexTypeId()), a.elementCount());
            case BtfStruct s -> new BtfStruct(newId, s.name(), s.size(), members(s.members(), map));
            case BtfUnion u -> new BtfUnion(newId, u.name(), u.size(), members(u.members(), map));
            case BtfEnum e -> new BtfEnum(newId, e.name(), e.size(), e.signed(), e.values());
            case BtfEnum64 e -> new BtfEnum64(newId, e.name(), e.size(), e.signed(), e.values());
            case BtfFwd f -> new BtfFwd(newId, f.name(), f.union());
            case BtfTypedef m -> new BtfTypedef(newId, m.name(), map.applyAsInt(m.typeId()));
            case BtfConst m -> new BtfConst(newId, m.name(), map.applyAsInt(m.typeId()));
            case BtfVolatile m -> new BtfVolatile(newId, m.name(), map.applyAsInt(m.typeId()));
            case BtfRestrict m -> new BtfRestrict(newId, m.name(), map.applyAsInt(m.typeId()));
            case BtfTypeTag m -> new BtfTypeTag(newId, m.name(), map.applyAsInt(m.typeId()));
            case BtfFunc f -> new BtfFunc(newId, f.name(), map.applyAsInt(f.protoId()), f.linkage());
            case BtfFuncProto p -> {
                List<BtfParam> params = new ArrayList<>();
                p.params().forEach(param -> params.add(new BtfParam(param.name(), map.applyAsInt(param.typeId()))));
                yield new BtfFuncProto(newId, p.name(), map.applyAsInt(p.returnTypeId()), params);
            }
            case BtfVar v -> new BtfVar(newId, v.name(), map.applyAsInt(v.typeId()), v.linkage());
            // A few variables are enough; the real section lists hundreds.
            case BtfDatasec d -> new BtfDatasec(newId, d.name(), d.size(), d.vars().subList(0, Math.min(4, d.vars().size())).stream()
                    .map(v -> new BtfVarSecInfo(map.applyAsInt(v.typeId()), v.offset(), v.size())).toList());
            case BtfFloat f -> new BtfFloat(newId, f.name(), f.size());
            case BtfDeclTag d -> new BtfDeclTag(newId, d.name(), map.applyAsInt(d.typeId()), d.componentIndex());
        };
    }

    private static List<BtfMember> members(List<BtfMember> members, IntUnaryOperator map) {
        List<BtfMember> out = new ArrayList<>(members.size());
        members.forEach(m -> out.add(new BtfMember(m.name(), map.applyAsInt(m.typeId()), m.bitOffset(), m.bitfieldSize())));
        return out;
    }
}
