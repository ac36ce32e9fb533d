package org.sinter.distributed.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sinter.distributed.store.DistributedTimeoutException;
import org.sinter.distributed.store.Store;

/**
 * Connects every pair of ranks of a group through the store: each rank listens on a free port and
 * publishes {@code host:port} and a machine id; the higher rank of each pair dials the lower. A
 * pair on the same machine (same host name and boot id) then also maps two shared-memory rings,
 * unless TCP was asked for; the TCP connection stays as the liveness signal.
 */
public final class Mesh {
    private Mesh() {}

    /** Ring size per direction; 2 MiB keeps a 64 MiB transfer pipelined without much /dev/shm. */
    static final long RING_BYTES = Long.getLong("sinter.shm.ringBytes", 2L << 20);

    /** Links indexed by peer rank (null at {@code rank}). {@code store} should be private to the group. */
    public static Link[] connect(Store store, int rank, int size, Transport transport, String advertiseHost, Duration timeout) {
        String who = "rank " + rank;
        long deadline = System.nanoTime() + timeout.toNanos();
        Link[] links = new Link[size];
        if (size == 1) return links;
        List<Path> created = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0), size);
            String me = machineId();
            store.set("addr/" + rank, (advertiseHost + "\n" + server.socket().getLocalPort() + "\n" + me).getBytes(StandardCharsets.UTF_8));
            if (rank == 0) store.set("token", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            String[][] addr = new String[size][];
            for (int j = 0; j < size; j++) {
                try {
                    addr[j] = new String(store.get("addr/" + j), StandardCharsets.UTF_8).split("\n");
                } catch (DistributedTimeoutException e) {
                    throw new DistributedTimeoutException(who + ": rendezvous timed out: rank " + j + " did not join within " + timeout.toSeconds() + " s");
                }
            }
            String token = new String(store.get("token"), StandardCharsets.UTF_8);

            SocketChannel[] channels = new SocketChannel[size];
            for (int j = 0; j < rank; j++) channels[j] = dial(j, addr[j], rank, deadline, who);
            server.socket().setSoTimeout((int) Math.max(1, remainingMs(deadline)));
            for (int k = rank + 1; k < size; k++) {
                SocketChannel ch;
                try {
                    ch = server.socket().accept().getChannel();
                } catch (SocketTimeoutException e) {
                    List<Integer> missing = new ArrayList<>();
                    for (int j = rank + 1; j < size; j++) if (channels[j] == null) missing.add(j);
                    throw new DistributedTimeoutException(who + ": ranks " + missing + " did not connect within " + timeout.toSeconds() + " s");
                }
                ch.socket().setSoTimeout((int) Math.max(1, remainingMs(deadline)));
                int peer = new java.io.DataInputStream(ch.socket().getInputStream()).readInt();
                if (peer <= rank || peer >= size || channels[peer] != null) throw new IOException("bad handshake from rank " + peer);
                channels[peer] = ch;
            }

            Path dir = shmDirectory();
            ShmRing[] in = new ShmRing[size];
            boolean[] shm = new boolean[size];
            for (int j = 0; j < size; j++) {
                if (j == rank) continue;
                boolean sameHost = addr[j][2].equals(me);
                if (transport == Transport.SHM && !sameHost) {
                    throw new IllegalArgumentException(who + ": SINTER_TRANSPORT=shm, but rank " + j + " runs on another machine (" + addr[j][0] + ")");
                }
                shm[j] = transport == Transport.SHM || transport == Transport.AUTO && sameHost;
                if (shm[j]) {
                    Path f = dir.resolve("sinter-" + token + "-" + j + "-to-" + rank);
                    in[j] = ShmRing.create(f, RING_BYTES);
                    created.add(f);
                    store.set("shm/" + j + "to" + rank, new byte[0]);
                }
            }
            for (int j = 0; j < size; j++) {
                if (j == rank) continue;
                TcpLink tcp = new TcpLink(j, who, channels[j]);
                if (!shm[j]) {
                    links[j] = tcp;
                    continue;
                }
                store.waitFor(List.of("shm/" + rank + "to" + j), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                ShmRing out = ShmRing.open(dir.resolve("sinter-" + token + "-" + rank + "-to-" + j), RING_BYTES);
                store.set("shmopen/" + rank + "to" + j, new byte[0]);
                links[j] = new ShmLink(j, who, out, in[j], tcp);
            }
            // Once the writer has mapped a ring the file name is no longer needed; unlinking now
            // leaves nothing behind in /dev/shm even if the job is killed later.
            for (int j = 0; j < size; j++) {
                if (shm[j]) store.waitFor(List.of("shmopen/" + j + "to" + rank), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            for (Path f : created) Files.deleteIfExists(f);
            return links;
        } catch (IOException e) {
            for (Link l : links) if (l != null) l.close();
            throw new UncheckedIOException(who + ": connecting the group failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            for (Link l : links) if (l != null) l.close();
            for (Path f : created) try { Files.deleteIfExists(f); } catch (IOException ignored) { }
            throw e;
        }
    }

    private static SocketChannel dial(int peer, String[] addr, int rank, long deadline, String who) throws IOException {
        InetSocketAddress target = new InetSocketAddress(addr[0], Integer.parseInt(addr[1]));
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(target, (int) Math.max(1, remainingMs(deadline)));
        } catch (IOException e) {
            ch.close();
            throw new IOException(who + " could not connect to rank " + peer + " at " + target + ": " + e.getMessage(), e);
        }
        ByteBuffer hello = ByteBuffer.allocate(4).putInt(rank).flip();
        while (hello.hasRemaining()) ch.write(hello);
        return ch;
    }

    private static long remainingMs(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    /** Host name and boot id: two ranks with equal ids share memory. */
    static String machineId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        try {
            return host + "/" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            return host;
        }
    }

    private static Path shmDirectory() {
        Path devShm = Path.of("/dev/shm");
        return Files.isDirectory(devShm) && Files.isWritable(devShm) ? devShm : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
