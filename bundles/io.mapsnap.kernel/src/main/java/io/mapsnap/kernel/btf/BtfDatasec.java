package io.mapsnap.kernel.btf;

import java.util.List;

/** A data section such as {@code .data..percpu} and the variables in it. */
public record BtfDatasec(int id, String name, int size, List<BtfVarSecInfo> vars) implements BtfType {
    public BtfDatasec {
        vars = List.copyOf(vars);
    }

    @Override
    public BtfKind kind() {
        return BtfKind.DATASEC;
    }
}
