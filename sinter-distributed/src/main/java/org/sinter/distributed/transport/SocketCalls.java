package org.sinter.distributed.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libc's {@code recv} and {@code send} on a socket's descriptor, bound as critical downcalls that
 * may use Java heap memory: a tensor's array goes to and from the socket with the one copy the
 * kernel makes. NIO cannot do that for a heap buffer (it copies it through a temporary direct
 * buffer), so the link used to copy every heap segment through its own staging buffer, about a
 * third of a rank's user time in a ring all-reduce. A critical call holds off the garbage
 * collector while it runs, so each one is short: it never blocks ({@code MSG_DONTWAIT}) and
 * moves at most {@link #MOST_PER_CALL} bytes, a memory copy of well under a millisecond.
 * {@code -Dsinter.tcp.heapDirect=false} switches it off (the NIO path, for comparison).
 */
final class SocketCalls {
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000; // a closed peer is an error, not a SIGPIPE
    private static final int EINTR = 4;
    private static final int EAGAIN = 11; // also EWOULDBLOCK on Linux
    /** The most bytes one call moves. */
    static final long MOST_PER_CALL = 1 << 20;

    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RECV = bind("recv");
    private static final MethodHandle SEND = bind("send");

    private SocketCalls() {}

    /** Whether the calls are bound and switched on. */
    static boolean available() {
        return RECV != null && SEND != null && Boolean.parseBoolean(System.getProperty("sinter.tcp.heapDirect", "true"));
    }

    /** Where one thread's calls leave their errno (a thread's own: a link's sender and receiver each need one). */
    static MemorySegment errnoState() {
        return Arena.ofAuto().allocate(STATE);
    }

    /** Bytes received into the start of {@code dst} (≤ MOST_PER_CALL): > 0, 0 when none are there yet, -1 at end of stream. */
    static long recv(int fd, MemorySegment dst, MemorySegment state) throws IOException {
        long len = Math.min(dst.byteSize(), MOST_PER_CALL);
        while (true) {
            long r;
            try {
                r = (long) RECV.invokeExact(state, fd, dst, len, MSG_DONTWAIT);
            } catch (Throwable t) {
                throw new IllegalStateException("recv on descriptor " + fd, t);
            }
            if (r > 0) return r;
            if (r == 0) return len == 0 ? 0 : -1;
            int errno = state.get(ValueLayout.JAVA_INT, ERRNO);
            if (errno == EAGAIN) return 0;
            if (errno != EINTR) throw new IOException("recv failed: " + describe(errno));
        }
    }

    /** Bytes sent from the start of {@code src} (≤ MOST_PER_CALL), 0 when the socket's buffer is full. */
    static long send(int fd, MemorySegment src, MemorySegment state) throws IOException {
        long len = Math.min(src.byteSize(), MOST_PER_CALL);
        while (true) {
            long r;
            try {
                r = (long) SEND.invokeExact(state, fd, src, len, MSG_DONTWAIT | MSG_NOSIGNAL);
            } catch (Throwable t) {
                throw new IllegalStateException("send on descriptor " + fd, t);
            }
            if (r >= 0) return r;
            int errno = state.get(ValueLayout.JAVA_INT, ERRNO);
            if (errno == EAGAIN) return 0;
            if (errno != EINTR) throw new IOException("send failed: " + describe(errno));
        }
    }

    private static String describe(int errno) {
        return switch (errno) {
            case 32 -> "broken pipe (the peer closed the connection)";
            case 104 -> "connection reset by peer";
            case 110 -> "connection timed out";
            case 9 -> "bad descriptor (the link was closed)";
            default -> "errno " + errno;
        };
    }

    /** {@code ssize_t name(int fd, void *buf, size_t len, int flags)}, or null where it cannot be bound. */
    @SuppressWarnings("restricted") // binding libc's socket calls is this class's purpose
    private static MethodHandle bind(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                    Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
