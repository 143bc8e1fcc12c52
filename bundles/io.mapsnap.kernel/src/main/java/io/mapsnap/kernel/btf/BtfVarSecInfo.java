package io.mapsnap.kernel.btf;

/** One variable of a {@link BtfDatasec} ({@code struct btf_var_secinfo}): where it sits in the section. */
public record BtfVarSecInfo(int typeId, int offset, int size) {
}
