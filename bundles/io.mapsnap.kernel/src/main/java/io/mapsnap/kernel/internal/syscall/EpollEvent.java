package io.mapsnap.kernel.internal.syscall;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** struct epoll_event: __attribute__((packed)) on x86_64, so data sits at offset 4 and the struct is 12 bytes. */
final class EpollEvent {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG.withByteAlignment(4).withName("data")).withByteAlignment(4).withName("epoll_event");

    static final VarHandle EVENTS = LAYOUT.varHandle(groupElement("events"));
    static final VarHandle DATA = LAYOUT.varHandle(groupElement("data"));

    private EpollEvent() {
    }
}
