package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each way a blob can be wrong ends in a {@link BtfFormatException} that says where and what. */
class BtfFormatErrorTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static byte[] valid() {
        return BtfKindsTest.write(BtfKindsTest.everyKind(), LE);
    }

    private static BtfFormatException rejected(byte[] blob, long offset, String... messageParts) {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
        }
        assertEquals(offset, e.offset(), e::getMessage);
        assertEquals("offset " + offset + ": " + e.problem(), e.getMessage());
        return e;
    }

    @Test
    void badMagic() {
        byte[] blob = valid();
        blob[0] = 0x12;
        rejected(blob, 0, "magic 0xeb9f", "12 eb");
        rejected(new byte[0], 0, "only 0 bytes");
    }

    @Test
    void badVersion() {
        byte[] blob = valid();
        blob[2] = 2;
        rejected(blob, 2, "version 1", "found 2");
    }

    @Test
    void unknownFlags() {
        byte[] blob = valid();
        blob[3] = 1;
        rejected(blob, 3, "flags 0");
    }

    @Test
    void truncatedHeader() {
        rejected(Arrays.copyOf(valid(), 10), 10, "needs 24 bytes");
    }

    @Test
    void headerLengthOutOfRange() {
        rejected(BtfBlobBuilder.withHeaderWord(valid(), 4, 16, LE), 4, "hdr_len 16");
        rejected(BtfBlobBuilder.withHeaderWord(valid(), 4, -1, LE), 4, "hdr_len 4294967295");
        byte[] longer = BtfBlobBuilder.withHeaderWord(valid(), 4, 28, LE);
        rejected(longer, 24, "not zero");
    }

    @Test
    void sectionsOutOfBounds() {
        byte[] blob = valid();
        int typeLen = BtfBlobBuilder.headerWord(blob, 12, LE);
        rejected(BtfBlobBuilder.withHeaderWord(blob, 12, typeLen + 1_000_000, LE), 8, "type section", "runs past");
        rejected(BtfBlobBuilder.withHeaderWord(blob, 20, Integer.MAX_VALUE, LE), 16, "string section", "runs past");
        // u32 offsets near 2^32: a sum in int arithmetic would wrap around and look small.
        rejected(BtfBlobBuilder.withHeaderWord(blob, 16, 0xffff_fff0, LE), 16, "string section", "runs past");
        rejected(BtfBlobBuilder.withHeaderWord(blob, 8, -4, LE), 8, "type section", "runs past");
        rejected(Arrays.copyOf(blob, blob.length - 1), 16, "string section", "runs past");
    }

    @Test
    void overlappingSections() {
        byte[] blob = valid();
        rejected(BtfBlobBuilder.withHeaderWord(blob, 16, 4, LE), 8, "overlaps");
    }

    @Test
    void typeSectionEndingInsideARecord() {
        byte[] blob = valid();
        int typeLen = BtfBlobBuilder.headerWord(blob, 12, LE);
        // Drop the last 4 bytes of the last type (a FUNC record of 12 bytes) from the section.
        rejected(BtfBlobBuilder.withHeaderWord(blob, 12, typeLen - 4, LE), 24 + typeLen - 12, "type 26", "12-byte record");
    }

    @Test
    void stringOffsetOutOfRange() {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        b.raw(1000, BtfBlobBuilder.info(BtfKind.FLOAT, 0, false), 8);
        rejected(b.build(), 24, "name offset 1000", "past the end of the string section at 1");

        BtfBlobBuilder m = BtfBlobBuilder.base();
        int u32 = m.integer("u32", 4, 0, 0, 32);
        m.raw(m.name("s"), BtfBlobBuilder.info(BtfKind.STRUCT, 1, false), 4, -7, u32, 0);
        rejected(m.build(), 24 + 16 + 12, "name offset 4294967289");
    }

    @Test
    void unterminatedString() {
        byte[] blob = valid();
        blob[blob.length - 1] = 'x';
        rejected(blob, blob.length - 1, "end with a NUL");
    }

    @Test
    void baseStringSectionMustStartEmpty() {
        byte[] blob = valid();
        int strOff = BtfBlobBuilder.headerWord(blob, 16, LE);
        blob[24 + strOff] = 'x';
        rejected(blob, 24 + strOff, "without its base");
        BtfBlobBuilder b = BtfBlobBuilder.base();
        byte[] noStrings = BtfBlobBuilder.withHeaderWord(b.build(), 20, 0, LE);
        rejected(noStrings, 24, "it is empty");
    }

    @Test
    void unknownKind() {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        b.floating("double", 8);
        b.raw(0, 20 << 24, 0);
        rejected(b.build(), 24 + 12 + 4, "type 2 has kind 20");
        BtfBlobBuilder zero = BtfBlobBuilder.base();
        zero.raw(0, 0, 0);
        rejected(zero.build(), 28, "type 1 has kind 0");
        BtfBlobBuilder reserved = BtfBlobBuilder.base();
        reserved.raw(0, BtfBlobBuilder.info(BtfKind.PTR, 0, false) | 1 << 20, 0);
        rejected(reserved.build(), 28, "reserved bits");
    }

    @Test
    void vlenPastTheEnd() {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        int u32 = b.integer("u32", 4, 0, 0, 32);
        b.raw(b.name("big"), BtfBlobBuilder.info(BtfKind.STRUCT, 5000, false), 8, 0, u32, 0);
        byte[] blob = b.build();
        int typeEnd = 24 + BtfBlobBuilder.headerWord(blob, 12, LE);
        rejected(blob, 24 + 16, "type 2 of kind STRUCT claims 5000 members, which run past the end of the type section at " + typeEnd);

        BtfBlobBuilder p = BtfBlobBuilder.base();
        p.raw(0, BtfBlobBuilder.info(BtfKind.FUNC_PROTO, 0xffff, false), 0);
        rejected(p.build(), 24, "claims 65535 parameters");
        BtfBlobBuilder i = BtfBlobBuilder.base();
        i.raw(i.name("int"), BtfBlobBuilder.info(BtfKind.INT, 0, false), 4);
        rejected(i.build(), 24, "INT needs 4 bytes");
    }

    @Test
    void typeIdOutOfRange() {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        b.ptr(7);
        rejected(b.build(), 32, "type 1 (PTR) refers to type 7, but the last type id is 1");
        BtfBlobBuilder a = BtfBlobBuilder.base();
        a.array(1, -1, 2);
        rejected(a.build(), 40, "refers to type 4294967295");
    }

    @Test
    void funcMustPointToAPrototype() {
        BtfBlobBuilder b = BtfBlobBuilder.base();
        int i = b.integer("int", 4, BtfInt.SIGNED, 0, 32);
        b.func("f", i, BtfLinkage.GLOBAL);
        rejected(b.build(), 24 + 16 + 8, "expected FUNC_PROTO");
        BtfBlobBuilder l = BtfBlobBuilder.base();
        int proto = l.funcProto(0);
        l.raw(l.name("g"), BtfBlobBuilder.info(BtfKind.FUNC, 3, false), proto);
        rejected(l.build(), 24 + 12 + 4, "linkage 3");
    }

    @Test
    void valuesOutsideWhatTheKernelAccepts() {
        BtfBlobBuilder size = BtfBlobBuilder.base();
        size.integer("int", 3, 0, 0, 24);
        rejected(size.build(), 32, "size 3");
        BtfBlobBuilder bits = BtfBlobBuilder.base();
        bits.integer("int", 4, 0, 8, 32);
        rejected(bits.build(), 36, "do not fit");
        BtfBlobBuilder huge = BtfBlobBuilder.base();
        huge.struct("huge", 0x7fff_0000);
        rejected(huge.build(), 32, "kernel's limit");
        BtfBlobBuilder sec = BtfBlobBuilder.base();
        int v = sec.variable("v", 0, BtfLinkage.STATIC);
        sec.datasec(".data", 8, new BtfVarSecInfo(v, 4, 8));
        rejected(sec.build(), 24 + 16 + 16, "outside its 8 bytes");
        BtfBlobBuilder tag = BtfBlobBuilder.base();
        tag.declTag("t", 0, -2);
        rejected(tag.build(), 36, "component_idx -2");
    }

    @Test
    void referenceCycles() {
        BtfBlobBuilder self = BtfBlobBuilder.base();
        self.modifier(BtfKind.TYPEDEF, "loop_t", 1);
        rejected(self.build(), 24, "type 1 (TYPEDEF) contains type 1", "cycle");

        BtfBlobBuilder chain = BtfBlobBuilder.base();
        chain.modifier(BtfKind.CONST, "", 2);
        chain.modifier(BtfKind.VOLATILE, "", 3);
        chain.modifier(BtfKind.TYPEDEF, "t", 1);
        rejected(chain.build(), 48, "type 3 (TYPEDEF) contains type 1", "cycle");

        BtfBlobBuilder struct = BtfBlobBuilder.base();
        struct.struct("s", 8, new BtfMember("self", 2, 0, 0));
        struct.array(1, 0, 1);
        rejected(struct.build(), 48, "type 2 (ARRAY) contains type 1", "cycle");

        // Through a pointer it is an ordinary linked list.
        BtfBlobBuilder list = BtfBlobBuilder.base();
        list.struct("list_head", 8, new BtfMember("next", 2, 0, 0));
        list.ptr(1);
        try {
            assertEquals(2, Btf.parse(list.build()).typeCount());
        } catch (BtfFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void longTypedefChainsNeitherLoopNorOverflowTheStack() throws BtfFormatException {
        int length = 200_000;
        BtfBlobBuilder b = BtfBlobBuilder.base();
        b.integer("int", 4, BtfInt.SIGNED, 0, 32);
        for (int i = 2; i <= length; i++) {
            b.modifier(BtfKind.TYPEDEF, "", i - 1);
        }
        Btf btf = Btf.parse(b.build());
        assertEquals(1, btf.resolveId(length));

        b.modifier(BtfKind.CONST, "", length + 2);
        b.modifier(BtfKind.CONST, "", length + 1);
        rejected(b.build(), 24 + 16 + 12L * length, "cycle");
    }

    @Test
    void nestedAnonymousMembersDoNotTakeExponentialTime() throws BtfFormatException {
        // Each level holds the next one twice; a search that revisits would take 2^40 steps.
        BtfBlobBuilder b = BtfBlobBuilder.base();
        int u32 = b.integer("u32", 4, 0, 0, 32);
        int inner = b.struct("", 4, new BtfMember("x", u32, 0, 0));
        for (int i = 0; i < 40; i++) {
            inner = b.struct("", 8, new BtfMember("", inner, 0, 0), new BtfMember("", inner, 0, 0));
        }
        b.struct("top", 8, new BtfMember("", inner, 0, 0));
        Btf btf = Btf.parse(b.build());
        Executable search = () -> assertTrue(btf.findMember("top", "missing").isEmpty());
        assertTimeoutPreemptively(Duration.ofSeconds(10), search);
        assertEquals(41, btf.findMember("top", "x").orElseThrow().path().size() - 1);
    }

    @Test
    void everyTruncationIsRejectedCleanly() {
        byte[] blob = valid();
        for (int length = 0; length < blob.length; length++) {
            byte[] prefix = Arrays.copyOf(blob, length);
            assertThrows(BtfFormatException.class, () -> Btf.parse(prefix), "prefix of " + length + " bytes");
        }
    }
}
