package io.mapsnap.api.vma;

import java.util.List;
import java.util.Optional;

import io.mapsnap.api.capability.Capability;

/**
 * The known VMA sources and the capability each needs, so that an explicit choice the kernel cannot honour is
 * refused with the missing capability and its evidence rather than a bare "not found".
 *
 * @param source the source's name ({@link VmaSource#name()})
 * @param capability the capability whose condition enables it
 */
public record SourceRequirement(String source, Capability capability) {
    /** Every source mapsnap ships, best first. */
    public static final List<SourceRequirement> KNOWN = List.of(
            new SourceRequirement("kfunc", Capability.KFUNC_TASK_VMA_ITER_IN_PROCESS_CONTEXT),
            new SourceRequirement("legacy", Capability.MM_MMAP_LIST),
            new SourceRequirement("bpf-iter", Capability.BPF_ITER_TASK_VMA),
            new SourceRequirement("find-vma", Capability.BPF_FIND_VMA),
            new SourceRequirement("procmap-query", Capability.PROCMAP_QUERY),
            new SourceRequirement("procfs", Capability.PROCFS_MAPS));

    /** Every collection-time collector mapsnap ships ({@link VmaCollector#name()}), best first. */
    public static final List<SourceRequirement> COLLECTORS = List.of(
            new SourceRequirement("kfunc", Capability.KFUNC_TASK_VMA_ITER_IN_PROCESS_CONTEXT),
            new SourceRequirement("legacy", Capability.MM_MMAP_LIST),
            new SourceRequirement("procfs-async", Capability.PROCFS_MAPS),
            new SourceRequirement("procfs-at-end", Capability.PROCFS_MAPS));

    /** The requirement of the named collector, if it is one mapsnap knows. */
    public static Optional<SourceRequirement> ofCollector(String collector) {
        return COLLECTORS.stream().filter(r -> r.source.equals(collector)).findFirst();
    }

    /** The requirement of the named source, if it is one mapsnap knows. */
    public static Optional<SourceRequirement> of(String source) {
        return KNOWN.stream().filter(r -> r.source.equals(source)).findFirst();
    }
}
