package org.sinter.distributed.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.SocketChannel;

/**
 * A TCP socket's receive low-water mark ({@code SO_RCVLOWAT}): Linux reports the socket readable,
 * and wakes a thread waiting in {@code epoll}, only once that many bytes have arrived. A rank
 * receiving a 1 MiB segment otherwise wakes for nearly every 1448-byte packet, and each wake-up
 * (a selector pass and a read of a few kilobytes) is CPU that four ranks on two shared cores take
 * from one another. Java has no option for it, so it is set with libc's {@code setsockopt}
 * ({@link SocketOption}) on the descriptor {@link SocketDescriptor} finds. Where that is not possible (not Linux, no /proc), {@link #set} does nothing.
 */
final class ReceiveLowWater {
    private static final int SO_RCVLOWAT = 18;
    /**
     * {@code -Dsinter.tcp.rcvlowat}: the most bytes a receive waits for (0 switches it off). A
     * whole ring segment (1 MiB): the ring cannot use a segment before all of it is there, and
     * with 64 KiB a rank's receiving thread was woken ~730 times per 64 MiB all-reduce, with
     * 1 MiB ~100 times, and the rank used a fifth less CPU (docs/distributed.md). Linux caps the
     * mark at half the largest receive buffer and reports a socket readable anyway when its
     * receive window is nearly closed, so a large mark cannot stall a connection.
     */
    static final int MOST = Integer.getInteger("sinter.tcp.rcvlowat", 1 << 20);

    private final int fd;
    private final MemorySegment value = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
    private int current = 1; // the kernel's default

    private ReceiveLowWater(int fd) {
        this.fd = fd;
    }

    /** The mark of {@code channel}'s socket, or one that does nothing where it cannot be set. */
    static ReceiveLowWater of(SocketChannel channel) {
        return of(SocketDescriptor.of(channel));
    }

    /** The mark of the socket with descriptor {@code fd} (-1: one that does nothing). */
    static ReceiveLowWater of(int fd) {
        return new ReceiveLowWater(MOST <= 1 || !SocketOption.available() ? -1 : fd);
    }

    /** Wakes the reader once {@code min(remaining, MOST)} bytes are there (never more than it still needs). */
    void set(long remaining) {
        int want = (int) Math.max(1, Math.min(remaining, MOST));
        if (fd < 0 || want == current) return;
        value.set(ValueLayout.JAVA_INT, 0, want);
        if (SocketOption.set(fd, SocketOption.SOL_SOCKET, SO_RCVLOWAT, value)) current = want;
    }
}
