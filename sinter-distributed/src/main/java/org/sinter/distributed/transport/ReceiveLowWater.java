package org.sinter.distributed.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A TCP socket's receive low-water mark ({@code SO_RCVLOWAT}): Linux reports the socket readable,
 * and wakes a thread waiting in {@code epoll}, only once that many bytes have arrived. A rank
 * receiving a 1 MiB segment otherwise wakes for nearly every 1448-byte packet, and each wake-up
 * (a selector pass and a read of a few kilobytes) is CPU that four ranks on two shared cores take
 * from one another. Java has no option for it, so the socket's descriptor is found through
 * {@code /proc} (its inode, by the connection's two ports) and the option set with libc's
 * {@code setsockopt}. Where that is not possible (not Linux, no /proc), {@link #set} does nothing.
 */
final class ReceiveLowWater {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVLOWAT = 18;
    /** {@code -Dsinter.tcp.rcvlowat}: the most bytes a receive waits for (0 switches it off). */
    static final int MOST = Integer.getInteger("sinter.tcp.rcvlowat", 64 << 10);
    private static final MethodHandle SETSOCKOPT = setsockopt();

    private final int fd;
    private final MemorySegment value = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
    private int current = 1; // the kernel's default

    private ReceiveLowWater(int fd) {
        this.fd = fd;
    }

    /** The mark of {@code channel}'s socket, or one that does nothing where it cannot be set. */
    static ReceiveLowWater of(SocketChannel channel) {
        if (MOST <= 1 || SETSOCKOPT == null) return new ReceiveLowWater(-1);
        try {
            return new ReceiveLowWater(descriptor(channel));
        } catch (IOException | RuntimeException e) {
            return new ReceiveLowWater(-1);
        }
    }

    /** Wakes the reader once {@code min(remaining, MOST)} bytes are there (never more than it still needs). */
    void set(long remaining) {
        int want = (int) Math.max(1, Math.min(remaining, MOST));
        if (fd < 0 || want == current) return;
        value.set(ValueLayout.JAVA_INT, 0, want);
        try {
            if ((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVLOWAT, value, 4) == 0) current = want;
        } catch (Throwable e) {
            throw new IllegalStateException("setsockopt(SO_RCVLOWAT) failed", e);
        }
    }

    @SuppressWarnings("restricted") // binding libc's setsockopt is this class's purpose
    private static MethodHandle setsockopt() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("setsockopt").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The descriptor of {@code channel}'s socket: its inode from /proc/net/tcp{,6} by ports, then the fd linking to it. */
    private static int descriptor(SocketChannel channel) throws IOException {
        int local = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        int remote = ((InetSocketAddress) channel.getRemoteAddress()).getPort();
        String inode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) continue;
                int lp = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int rp = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (lp == local && rp == remote && !f[9].equals("0")) inode = f[9];
            }
        }
        if (inode == null) throw new IOException("no socket with ports " + local + " and " + remote);
        String target = "socket:[" + inode + "]";
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) return Integer.parseInt(fd.getFileName().toString());
                } catch (IOException | NumberFormatException gone) {
                    // closed meanwhile, or not a descriptor
                }
            }
        }
        throw new IOException("no descriptor for " + target);
    }
}
