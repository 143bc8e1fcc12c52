package io.mapsnap.kernel.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Split BTF, as in {@code /sys/kernel/btf/<module>}: ids and string offsets continue those of the base. */
class BtfSplitTest {
    private final BtfBlobBuilder base = BtfBlobBuilder.base();
    private final int u64 = base.integer("u64", 8, 0, 0, 64);
    private final int list = base.struct("list_head", 16, new BtfMember("next", 0, 0, 0), new BtfMember("prev", 0, 64, 0));
    private final int shared = base.struct("shared", 8, new BtfMember("n", u64, 0, 0));
    private final int proto = base.funcProto(0);
    private final int baseFunc = base.func("vmlinux_func", proto, BtfLinkage.GLOBAL);

    private Btf parseBase() throws BtfFormatException {
        return Btf.parse(base.build());
    }

    @Test
    void continuesIdsAndStrings() throws BtfFormatException {
        Btf vmlinux = parseBase();
        BtfBlobBuilder module = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        int anon = module.struct("", 16, new BtfMember("link", list, 0, 0));
        int own = module.struct("module_state", 24, new BtfMember("", anon, 0, 0), new BtfMember("count", u64, 128, 0));
        int ptr = module.ptr(own);
        // Name offsets below the base's end read the base's strings: the module reuses "u64".
        int typedef = module.raw(base.name("u64"), BtfBlobBuilder.info(BtfKind.TYPEDEF, 0, false), u64);
        int moduleProto = module.funcProto(0, new BtfParam("s", ptr));
        int moduleFunc = module.func("module_func", moduleProto, BtfLinkage.STATIC);
        module.struct("shared", 4);

        Btf btf = Btf.parse(module.build(ByteOrder.BIG_ENDIAN), vmlinux);
        assertSame(vmlinux, btf.base().orElseThrow());
        assertEquals(6, btf.firstTypeId());
        assertEquals(anon, btf.firstTypeId());
        assertEquals(vmlinux.typeCount() + 7, btf.typeCount());
        assertEquals(vmlinux.type(list), btf.type(list), "base ids answer with the base's types");
        assertEquals("module_state", btf.type(own).name());
        assertEquals(new BtfTypedef(typedef, "u64", u64), btf.type(typedef));
        assertEquals(BtfKind.FUNC, btf.kind(baseFunc));
        assertEquals(u64, btf.resolveId(typedef));

        assertEquals(moduleFunc, btf.findFunc("module_func").orElseThrow().id());
        assertTrue(btf.hasKfunc("vmlinux_func"), "the base's functions are visible through the module");
        assertEquals(List.of(shared, own + 5), btf.findByName("shared").stream().map(BtfType::id).toList());
        assertEquals(shared, btf.findStruct("shared").orElseThrow().id(), "the base comes first");
        assertEquals(List.of(u64, typedef), btf.findByName("u64").stream().map(BtfType::id).toList());

        BtfMemberLocation next = btf.findMember("module_state", "link").orElseThrow();
        assertEquals(0, next.bitOffset());
        assertTrue(btf.hasMember("module_state", "count"));
        assertTrue(vmlinux.findStruct("module_state").isEmpty(), "the base does not see its modules");
    }

    @Test
    void acceptsAModuleWithoutOwnStrings() throws BtfFormatException {
        Btf vmlinux = parseBase();
        BtfBlobBuilder module = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        module.ptr(shared);
        Btf btf = Btf.parse(module.build(), vmlinux);
        assertEquals(new BtfPtr(vmlinux.typeCount() + 1, "", shared), btf.type(btf.typeCount()));
    }

    @Test
    void rejectsReferencesPastTheModule() throws BtfFormatException {
        Btf vmlinux = parseBase();
        BtfBlobBuilder module = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        module.ptr(vmlinux.typeCount() + 2);
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(module.build(), vmlinux));
        assertTrue(e.getMessage().contains("type 6 (PTR) refers to type 7, but the last type id is 6"), e.getMessage());

        BtfBlobBuilder strings = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        strings.raw(base.stringEnd() + 100, BtfBlobBuilder.info(BtfKind.FLOAT, 0, false), 8);
        strings.name("x");
        e = assertThrows(BtfFormatException.class, () -> Btf.parse(strings.build(), vmlinux));
        assertTrue(e.getMessage().contains("past the end of the string section at " + (base.stringEnd() + 2)), e.getMessage());
    }

    @Test
    void rejectsACycleThatRunsThroughTheModule() throws BtfFormatException {
        Btf vmlinux = parseBase();
        BtfBlobBuilder module = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        module.modifier(BtfKind.TYPEDEF, "a", vmlinux.typeCount() + 2);
        module.modifier(BtfKind.CONST, "", vmlinux.typeCount() + 1);
        assertThrows(BtfFormatException.class, () -> Btf.parse(module.build(), vmlinux));
    }

    @Test
    void splitBtfWithoutItsBaseIsRejected() throws BtfFormatException {
        Btf vmlinux = parseBase();
        BtfBlobBuilder module = BtfBlobBuilder.splitOn(vmlinux.typeCount(), base.stringEnd());
        module.struct("module_state", 8, new BtfMember("x", u64, 0, 0));
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(module.build()));
        assertTrue(e.getMessage().contains("without its base"), e.getMessage());
    }
}
