package org.sinter.distributed.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file descriptor of a connected {@link SocketChannel}'s socket, for the libc calls Java has
 * no API for ({@link ReceiveLowWater}, {@link SocketCalls}). NIO does not expose it, so it is
 * found through Linux's {@code /proc}: the socket's inode by the connection's two ports in
 * {@code /proc/net/tcp{,6}}, then the descriptor in {@code /proc/self/fd} that links to it.
 */
final class SocketDescriptor {
    private SocketDescriptor() {}

    /** {@code channel}'s descriptor, or -1 where it cannot be found (not Linux, no /proc). */
    static int of(SocketChannel channel) {
        try {
            return find(channel);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int find(SocketChannel channel) throws IOException {
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
