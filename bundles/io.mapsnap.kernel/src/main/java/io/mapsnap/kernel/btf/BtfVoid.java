package io.mapsnap.kernel.btf;

/** Type id 0: {@code void}, the target of untyped pointers and the return type of procedures. */
public record BtfVoid() implements BtfType {
    static final BtfVoid INSTANCE = new BtfVoid();

    @Override
    public int id() {
        return 0;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public BtfKind kind() {
        return BtfKind.VOID;
    }
}
