package io.mapsnap.profiler;

import java.util.Arrays;
import java.util.Objects;

/**
 * What makes two samples the same stack: the process, its address space, its name and both frame lists.
 *
 * @param process the process identity
 * @param mm the address space
 * @param comm the thread's name
 * @param user user frames, innermost first: IPs, or file offsets where {@code userBuildIds} has a build ID
 * @param userBuildIds per user frame its build ID or null; null altogether without the build-ID sampler
 * @param kernel kernel frames, innermost first
 */
record StackKey(ProcessIdentity process, long mm, String comm, long[] user, String[] userBuildIds, long[] kernel) {
    static StackKey of(StackSample s) {
        return new StackKey(new ProcessIdentity(s.tgid(), s.startTimeClockTicks()), s.mm(), s.comm(), s.user(),
                s.userBuildIds(), s.kernel());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackKey k && process.equals(k.process) && mm == k.mm && comm.equals(k.comm)
                && Arrays.equals(user, k.user) && Arrays.equals(userBuildIds, k.userBuildIds)
                && Arrays.equals(kernel, k.kernel);
    }

    @Override
    public int hashCode() {
        return (Objects.hash(process, mm, comm) * 31 * 31 + Arrays.hashCode(user) * 31 + Arrays.hashCode(kernel)) * 31
                + Arrays.hashCode(userBuildIds);
    }

    @Override
    public String toString() {
        return process + " " + comm + " user=" + user.length + " kernel=" + kernel.length;
    }
}
