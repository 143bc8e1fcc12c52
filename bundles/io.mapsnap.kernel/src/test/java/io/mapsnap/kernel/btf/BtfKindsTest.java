package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind, written by {@link BtfBlobBuilder} and read back, in both byte orders. */
class BtfKindsTest {
    enum Order {
        LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    /** One type of every kind; the ids are those {@link BtfBlobBuilder} hands out in this order. */
    static List<BtfType> everyKind() {
        return List.of(
                new BtfInt(1, "int", 4, BtfInt.SIGNED, 0, 32),
                new BtfPtr(2, "", 3),
                new BtfStruct(3, "task", 16, List.of(
                        new BtfMember("pid", 1, 0, 0),
                        new BtfMember("flags", 12, 32, 3),
                        new BtfMember("", 4, 64, 0))),
                new BtfUnion(4, "", 8, List.of(new BtfMember("next", 2, 0, 0), new BtfMember("count", 1, 0, 0))),
                new BtfArray(5, "", 1, 1, 0xffff_fff0L),
                new BtfEnum(6, "state", 4, true, List.of(new BtfEnumValue("DEAD", -1), new BtfEnumValue("ALIVE", 1))),
                new BtfEnum(7, "flags", 4, false, List.of(new BtfEnumValue("TOP", 0x8000_0000L))),
                new BtfFwd(8, "later", true),
                new BtfTypedef(9, "pid_t", 1),
                new BtfVolatile(10, "", 9),
                new BtfConst(11, "", 10),
                new BtfInt(12, "unsigned int", 4, 0, 0, 32),
                new BtfRestrict(13, "", 2),
                new BtfFuncProto(14, "", 1, List.of(new BtfParam("t", 2), new BtfParam("", 0))),
                new BtfFunc(15, "do_task", 14, BtfLinkage.GLOBAL),
                new BtfVar(16, "current_task", 2, BtfLinkage.STATIC),
                new BtfDatasec(17, ".data..percpu", 64, List.of(new BtfVarSecInfo(16, 8, 8))),
                new BtfFloat(18, "double", 8),
                new BtfDeclTag(19, "bpf_kfunc", 15, -1),
                new BtfDeclTag(20, "user", 14, 0),
                new BtfTypeTag(21, "rcu", 3),
                new BtfEnum64(22, "big", 8, false, List.of(new BtfEnumValue("HIGH", 0xf000_0000_0000_0001L), new BtfEnumValue("LOW", 2))),
                new BtfEnum64(23, "sbig", 8, true, List.of(new BtfEnumValue("MINUS", -5))),
                new BtfInt(24, "_Bool", 1, BtfInt.BOOL, 0, 8),
                new BtfFunc(25, "helper", 14, BtfLinkage.STATIC),
                new BtfFunc(26, "ext", 14, BtfLinkage.EXTERN));
    }

    static byte[] write(List<BtfType> types, ByteOrder order) {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        for (BtfType t : types) {
            int id = b.add(t);
            assertEquals(t.id(), id, "ids follow the order of adding");
        }
        return b.build(order);
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void readsBackEveryKind(Order order) throws BtfFormatException {
        List<BtfType> expected = everyKind();
        Btf btf = Btf.parse(write(expected, order.order));
        assertEquals(order.order, btf.byteOrder());
        assertEquals(expected.size(), btf.typeCount());
        assertEquals(1, btf.firstTypeId());
        List<BtfType> actual = new ArrayList<>();
        for (int id = 1; id <= btf.typeCount(); id++) {
            actual.add(btf.type(id));
            assertEquals(expected.get(id - 1).kind(), btf.kind(id));
        }
        assertEquals(expected, actual);
        Set<BtfKind> kinds = EnumSet.noneOf(BtfKind.class);
        actual.forEach(t -> kinds.add(t.kind()));
        assertEquals(EnumSet.complementOf(EnumSet.of(BtfKind.VOID)), kinds, "the sample covers every kind");
    }

    @Test
    void idZeroIsVoid() throws BtfFormatException {
        Btf btf = Btf.parse(write(everyKind(), ByteOrder.LITTLE_ENDIAN));
        assertSame(BtfVoid.INSTANCE, btf.type(0));
        assertEquals(BtfKind.VOID, btf.kind(0));
        assertThrows(IndexOutOfBoundsException.class, () -> btf.type(btf.typeCount() + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> btf.type(-1));
    }

    @Test
    void decodesValueDetails() throws BtfFormatException {
        Btf btf = Btf.parse(write(everyKind(), ByteOrder.BIG_ENDIAN));
        BtfStruct task = btf.findStruct("task").orElseThrow();
        assertTrue(task.members().get(1).isBitfield());
        assertFalse(task.members().get(0).isBitfield());
        assertTrue(task.members().get(2).isAnonymous());
        assertTrue(((BtfFuncProto) btf.type(14)).isVariadic());
        assertTrue(((BtfInt) btf.type(1)).isSigned());
        assertTrue(((BtfInt) btf.type(24)).isBool());
        assertEquals("17293822569102704641", Long.toUnsignedString(((BtfEnum64) btf.type(22)).values().getFirst().value()));
        assertEquals(0x8000_0000L, ((BtfEnum) btf.type(7)).values().getFirst().value(), "unsigned 32-bit enums zero-extend");
    }

    @Test
    void resolvesThroughTypedefsAndQualifiers() throws BtfFormatException {
        Btf btf = Btf.parse(write(everyKind(), ByteOrder.LITTLE_ENDIAN));
        assertEquals(1, btf.resolveId(11), "const volatile pid_t is int");
        assertInstanceOf(BtfInt.class, btf.resolve(11));
        assertEquals(3, btf.resolveId(21), "a type tag is looked through");
        assertEquals(2, btf.resolveId(2), "a pointer is not");
        assertEquals(0, btf.resolveId(0));
    }

    @Test
    void findsByName() throws BtfFormatException {
        Btf btf = Btf.parse(write(everyKind(), ByteOrder.LITTLE_ENDIAN));
        assertEquals(List.of(btf.type(15)), btf.findByName("do_task"));
        assertEquals(List.of(btf.type(19)), btf.findByName("bpf_kfunc"));
        assertTrue(btf.findByName("").isEmpty(), "anonymous types are not indexed");
        assertTrue(btf.findByName("nothing").isEmpty());
        assertTrue(btf.findStruct("do_task").isEmpty(), "a FUNC is not a struct");
        assertEquals(15, btf.findFunc("do_task").orElseThrow().id());
        assertTrue(btf.hasKfunc("ext"));
        assertFalse(btf.hasKfunc("task"));
        assertEquals(8, btf.findFirst("later", BtfFwd.class).orElseThrow().id());
    }

    @Test
    void findsMembersInsideAnonymousMembers() throws BtfFormatException {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        int u32 = b.integer("u32", 4, 0, 0, 32);
        int inner = b.struct("", 8, new BtfMember("deep", u32, 32, 0));
        int innerTypedef = b.modifier(BtfKind.TYPEDEF, "inner_t", inner);
        int innerConst = b.modifier(BtfKind.CONST, "", innerTypedef);
        int union = b.union("", 8, new BtfMember("a", u32, 0, 0), new BtfMember("", innerConst, 0, 0));
        int named = b.struct("named", 4, new BtfMember("hidden", u32, 0, 0));
        b.struct("outer", 32, new BtfMember("first", u32, 0, 0), new BtfMember("", union, 64, 0),
                new BtfMember("n", named, 128, 0), new BtfMember("bits", u32, 160, 5));
        Btf btf = Btf.parse(b.build());

        BtfMemberLocation deep = btf.findMember("outer", "deep").orElseThrow();
        assertEquals(96, deep.bitOffset());
        assertEquals(12, deep.byteOffset());
        assertEquals(List.of("", "", "deep"), deep.path().stream().map(BtfMember::name).toList());
        assertEquals(u32, deep.member().typeId());
        assertEquals(8, btf.findMember("outer", "a").orElseThrow().byteOffset());
        assertEquals(5, btf.findMember("outer", "bits").orElseThrow().member().bitfieldSize());
        assertFalse(btf.hasMember("outer", "hidden"), "named members are not searched through");
        assertFalse(btf.hasMember("outer", ""));
        assertFalse(btf.hasMember("missing", "first"));
        assertTrue(btf.hasMember("named", "hidden"));
        assertTrue(btf.hasMember("inner_t", "deep"), "a typedef name leads to its struct");
        assertEquals(32, btf.findMember("inner_t", "deep").orElseThrow().bitOffset());
    }

    @Test
    void acceptsALongerHeaderWhoseExtraFieldsAreZero() throws BtfFormatException {
        byte[] blob = write(everyKind(), ByteOrder.LITTLE_ENDIAN);
        byte[] longer = new byte[blob.length + 8];
        System.arraycopy(blob, 0, longer, 0, 24);
        System.arraycopy(blob, 24, longer, 32, blob.length - 24);
        longer = BtfBlobBuilder.withHeaderWord(longer, 4, 32, ByteOrder.LITTLE_ENDIAN);
        assertEquals(everyKind().size(), Btf.parse(longer).typeCount());
    }

    @Test
    void parsesAnEmptyTypeSection() throws BtfFormatException {
        Btf btf = Btf.parse(BtfBlobBuilder.base().build());
        assertEquals(0, btf.typeCount());
        assertTrue(btf.findStruct("x").isEmpty());
    }

    @Test
    void copiesTheCallersArray() throws BtfFormatException {
        byte[] blob = write(everyKind(), ByteOrder.LITTLE_ENDIAN);
        Btf btf = Btf.parse(blob);
        Arrays.fill(blob, (byte) 0xff);
        assertEquals(everyKind(), IntStream.rangeClosed(1, btf.typeCount()).mapToObj(btf::type).toList());
    }
}
