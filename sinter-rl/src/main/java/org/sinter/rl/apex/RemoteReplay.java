package org.sinter.rl.apex;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.remote.ChildJvm;
import org.sinter.rl.remote.Frames;
import org.sinter.rl.remote.Wire;

/**
 * A {@link ReplayServer} in another process, reached over {@link ReplayProtocol}. Each thread that
 * calls it gets its own connection (opened on its first call), so the actors' adds and the
 * learner's draws travel side by side, as they reach the shards side by side in process. The
 * uniforms of a draw are drawn here, so a seeded learner draws the same rows either way. Every
 * reply is awaited at most the timeout; a refusal, a closed connection, a timeout or a bad frame
 * is an unchecked error naming the server (and, for a replay in a child process, its state and
 * last output).
 */
public final class RemoteReplay implements ApexReplay {
    private final int port;
    private final String token;
    private final int timeoutMillis;
    private final ChildJvm child;
    private final int numShards;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private volatile boolean closed;

    private record Connection(Socket socket, DataInputStream in, DataOutputStream out) {}

    private RemoteReplay(int port, String token, Duration timeout, ChildJvm child) {
        this.port = port;
        this.token = token;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.child = child;
        this.numShards = open();
    }

    /** Connects to a replay server on loopback {@code port} that admits {@code token}. */
    public static RemoteReplay connect(int port, String token, Duration timeout) {
        return new RemoteReplay(port, token, timeout, null);
    }

    /**
     * Starts a {@link ReplayServerMain} process owning a replay of {@code numShards} shards and
     * {@code capacity} rows, and connects to it; {@link #close} ends the process.
     */
    public static RemoteReplay startProcess(int numShards, int capacity, int observationSize, double alpha, double epsilon, Duration timeout) {
        ChildJvm child;
        try {
            child = ChildJvm.start("replay server", ReplayServerMain.class, List.of(Integer.toString(numShards), Integer.toString(capacity),
                    Integer.toString(observationSize), Double.toString(alpha), Double.toString(epsilon)), Duration.ofSeconds(120));
        } catch (IOException e) {
            throw new UncheckedIOException("Apex: the replay server process did not start: " + e.getMessage(), e);
        }
        try {
            return new RemoteReplay(child.port(), child.token(), timeout, child);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /** The child process's id, or −1 when this client did not start the server. */
    public long pid() {
        return child == null ? -1 : child.pid();
    }

    private String where() {
        return "replay server at 127.0.0.1:" + port + (child == null ? "" : " (" + child.describe() + ")");
    }

    /** Opens and greets this thread's connection; returns the shard count the server announced. */
    private int open() {
        if (closed) throw new IllegalStateException("RemoteReplay: closed");
        Connection c;
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets.add(socket);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            c = new Connection(socket, new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16)),
                    new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("RemoteReplay: cannot connect to the " + where() + ": " + e.getMessage(), e);
        }
        connection.set(c);
        int shards;
        try {
            shards = call(ReplayProtocol.HELLO, o -> {
                o.writeInt(ReplayProtocol.MAGIC);
                o.writeUTF(token);
            }, ReplayProtocol.READY, DataInputStream::readInt);
        } catch (RuntimeException e) {
            connection.remove();
            sockets.remove(c.socket());
            try {
                c.socket().close();
            } catch (IOException ignored) {
                // Already failing; the refusal is the error to report.
            }
            throw e;
        }
        if (shards <= 0) throw new IllegalStateException("RemoteReplay: the " + where() + " says it has " + shards + " shards");
        return shards;
    }

    /** One request and its reply on this thread's connection. */
    private <T> T call(int kind, Frames.Body body, int replyKind, Frames.Decoder<T> decoder) {
        if (connection.get() == null) open();
        Connection c = connection.get();
        String request = ReplayProtocol.kindName(kind);
        Frames.Frame reply;
        try {
            Frames.write(c.out(), kind, body);
            reply = Frames.read(c.in(), ReplayProtocol.NAME);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("RemoteReplay: no reply to " + request + " within " + timeoutMillis + " ms from the " + where(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("RemoteReplay: " + request + " to the " + where() + " failed: " + e.getMessage(), e);
        }
        if (reply == null) throw new IllegalStateException("RemoteReplay: the " + where() + " closed the connection instead of answering " + request);
        try {
            if (reply.kind() == ReplayProtocol.ERROR) {
                throw new IllegalStateException("RemoteReplay: the " + where() + " refused " + request + ": " + reply.decode(d -> d.readUTF()));
            }
            if (reply.kind() != replyKind) {
                throw new IllegalStateException(String.format(Locale.ROOT, "RemoteReplay: the %s answered %s with %s, expected %s", where(), request,
                        ReplayProtocol.kindName(reply.kind()), ReplayProtocol.kindName(replyKind)));
            }
            return reply.decode(decoder);
        } catch (IOException e) {
            throw new UncheckedIOException("RemoteReplay: the " + where() + "'s reply to " + request + " is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public int add(Replay.Batch rows, double[] tdErrors, long version) {
        return call(ReplayProtocol.ADD, o -> {
            ChunkCodec.writeBatch(o, rows);
            Wire.writeDoubles(o, tdErrors);
            o.writeLong(version);
        }, ReplayProtocol.ADDED, DataInputStream::readInt);
    }

    @Override
    public ReplayServer.Sample sample(double[] uniforms, double beta) {
        ReplayServer.Sample s = call(ReplayProtocol.SAMPLE, o -> {
            Wire.writeDoubles(o, uniforms);
            o.writeDouble(beta);
        }, ReplayProtocol.SAMPLED, ReplayProtocol::readSample);
        if (s.batch().size() != uniforms.length) {
            throw new IllegalStateException("RemoteReplay: the " + where() + " returned " + s.batch().size() + " rows for " + uniforms.length + " uniforms");
        }
        return s;
    }

    @Override
    public void updatePriorities(ReplayServer.Sample sample, double[] tdErrors) {
        call(ReplayProtocol.UPDATE, o -> {
            Wire.writeInts(o, sample.shards());
            Wire.writeInts(o, sample.slots());
            Wire.writeDoubles(o, tdErrors);
        }, ReplayProtocol.UPDATED, d -> null);
    }

    @Override
    public int size() {
        return call(ReplayProtocol.SIZE, o -> {}, ReplayProtocol.SIZED, DataInputStream::readInt);
    }

    @Override
    public int numShards() {
        return numShards;
    }

    /** Closes every thread's connection and ends the server process this client started. */
    @Override
    public void close() {
        closed = true;
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing is all that is wanted.
            }
        }
        if (child != null) child.close();
    }
}
