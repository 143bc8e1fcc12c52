package io.mapsnap.kernel.vma;

import java.util.List;
import java.util.Optional;

import io.mapsnap.api.vma.CaptureTrigger;
import io.mapsnap.api.vma.Vma;
import io.mapsnap.api.vma.VmaSnapshot;

/**
 * One process as a BPF walker saw it: the header fields, its VMAs and the trailer.
 *
 * @param tgid process id
 * @param pid the thread the walk ran in (the group leader for on-demand walks)
 * @param comm process name
 * @param startBootNanos task->start_boottime: with the tgid, identifies the process across pid reuse
 * @param takenBootNanos CLOCK_BOOTTIME when the walk began
 * @param mm address of the mm_struct (identity of the address space; changes on exec)
 * @param mapCount mm->map_count when the walk began
 * @param trigger why a collector walked (enum mapsnap_trigger; 0 for on-demand walks)
 * @param error 0, or the negative errno that stopped the walk before it started (e.g. -16 EBUSY)
 * @param truncated the walk stopped at its configured bound
 * @param dropped the ring buffer was full and some of this walk's records are missing
 * @param vmas the VMAs in address order
 */
public record WalkedProcess(int tgid, int pid, String comm, long startBootNanos, long takenBootNanos, long mm,
        int mapCount, int trigger, int error, boolean truncated, boolean dropped, List<Vma> vmas) {

    /** /proc/PID/stat's start time (field 22) for this process: clock ticks of 1/100 s since boot. */
    public long startTimeClockTicks() {
        // USER_HZ is 100 on every Linux ABI mapsnap supports (x86_64 and arm64).
        return startBootNanos / 10_000_000L;
    }

    /** The walk as the API's snapshot; one the ring buffer could not hold entirely is flagged, never passed off as whole. */
    public VmaSnapshot toSnapshot(String source) {
        return new VmaSnapshot(tgid, pid, comm, startTimeClockTicks(), BootClock.toInstant(takenBootNanos), source,
                truncated || dropped, vmas);
    }

    /**
     * Why this walk cannot be a whole map of one moment, or empty when it can. Every walk of one address space must be
     * sorted and disjoint, and a walk that was not cut short (truncated, or records dropped) must reach the process's
     * stack, which every user address space has: a walker that read the VMAs while they changed shows one or the
     * other (legacy follows vm_next with no lock, and a list unlinked under it ends early).
     */
    public Optional<String> inconsistency() {
        for (int i = 1; i < vmas.size(); i++) {
            if (Long.compareUnsigned(vmas.get(i - 1).end(), vmas.get(i).start()) > 0) {
                return Optional.of("VMA " + (i - 1) + " " + vmas.get(i - 1).toProcMapsLine().strip() + " / VMA " + i
                        + " " + vmas.get(i).toProcMapsLine().strip() + " out of order");
            }
        }
        if (!truncated && !dropped && !vmas.isEmpty() && vmas.stream().noneMatch(v -> v.path().equals("[stack]"))) {
            return Optional.of("the walk ended after " + vmas.size() + " VMAs, at "
                    + vmas.getLast().toProcMapsLine().strip() + ", before the stack");
        }
        return Optional.empty();
    }

    /** Why a collector took it, in the API's terms. */
    public CaptureTrigger captureTrigger() {
        return switch (trigger) {
            case VmaRecordLayout.TRIGGER_REFRESH -> CaptureTrigger.REFRESH;
            case VmaRecordLayout.TRIGGER_EXEC -> CaptureTrigger.EXEC;
            case VmaRecordLayout.TRIGGER_EXIT -> CaptureTrigger.EXIT;
            case VmaRecordLayout.TRIGGER_IN_SAMPLE -> CaptureTrigger.IN_SAMPLE;
            case VmaRecordLayout.TRIGGER_DEFERRED -> CaptureTrigger.DEFERRED;
            default -> CaptureTrigger.FIRST_SEEN;
        };
    }
}
