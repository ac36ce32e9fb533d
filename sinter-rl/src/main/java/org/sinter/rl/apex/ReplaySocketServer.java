package org.sinter.rl.apex;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.remote.Frames;
import org.sinter.rl.remote.LoopbackServer;
import org.sinter.rl.remote.Wire;

/**
 * Serves a {@link ReplayServer} over {@link ReplayProtocol} on a loopback port: each connection
 * gets its own thread, so actors adding to one shard and the learner sampling contend only on the
 * shards' own locks, as in process. A client must first present the token it was given.
 */
public final class ReplaySocketServer implements AutoCloseable {
    private static final int HELLO_TIMEOUT_MS = 30_000;

    private final ReplayServer replay;
    private final String token;
    private final LoopbackServer server;

    public ReplaySocketServer(ReplayServer replay, String token, int port) throws IOException {
        this.replay = replay;
        this.token = token;
        this.server = new LoopbackServer(port, "replay-server", this::serve);
    }

    public int port() {
        return server.port();
    }

    private void serve(Socket client) {
        try {
            client.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(client.getOutputStream(), 1 << 16));
            client.setSoTimeout(HELLO_TIMEOUT_MS); // a connection that never says hello does not hold a thread for ever
            if (!greet(in, out)) return;
            client.setSoTimeout(0); // then the learner may sit between requests as long as it likes (evaluations, a slow update)
            while (true) {
                Frames.Frame request;
                try {
                    request = Frames.read(in, ReplayProtocol.NAME);
                } catch (IOException e) {
                    Frames.write(out, ReplayProtocol.ERROR, o -> ReplayProtocol.writeError(o, e.getMessage()));
                    return; // the stream is no longer aligned on frames
                }
                if (request == null) return;
                try {
                    answer(request, out);
                } catch (IllegalArgumentException | IllegalStateException | IOException e) {
                    Frames.write(out, ReplayProtocol.ERROR, o -> ReplayProtocol.writeError(o, ReplayProtocol.kindName(request.kind()) + ": " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    /** Reads the client's HELLO; true when it holds the token (answered READY), false (answered ERROR) otherwise. */
    private boolean greet(DataInputStream in, DataOutputStream out) throws IOException {
        String refusal;
        try {
            Frames.Frame hello = Frames.read(in, ReplayProtocol.NAME);
            if (hello == null) return false;
            if (hello.kind() != ReplayProtocol.HELLO) {
                refusal = "expected HELLO first, got " + ReplayProtocol.kindName(hello.kind());
            } else {
                String presented = hello.decode(d -> {
                    int magic = d.readInt();
                    String t = d.readUTF();
                    return magic == ReplayProtocol.MAGIC ? t : null;
                });
                refusal = presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
                        ? null : "HELLO without this server's magic number and token";
            }
        } catch (IOException e) {
            refusal = e.getMessage();
        }
        if (refusal != null) {
            String message = refusal;
            Frames.write(out, ReplayProtocol.ERROR, o -> ReplayProtocol.writeError(o, message));
            return false;
        }
        Frames.write(out, ReplayProtocol.READY, o -> o.writeInt(replay.numShards()));
        return true;
    }

    private void answer(Frames.Frame request, DataOutputStream out) throws IOException {
        switch (request.kind()) {
            case ReplayProtocol.ADD -> {
                record Add(Replay.Batch rows, double[] td, long version) {}
                Add a = request.decode(d -> new Add(ChunkCodec.readBatch(d, "rows"), Wire.readDoubles(d, "tdErrors"), d.readLong()));
                int shard = replay.add(a.rows(), a.td(), a.version());
                Frames.write(out, ReplayProtocol.ADDED, o -> o.writeInt(shard));
            }
            case ReplayProtocol.SAMPLE -> {
                record Draw(double[] uniforms, double beta) {}
                Draw draw = request.decode(d -> new Draw(Wire.readDoubles(d, "uniforms"), d.readDouble()));
                ReplayServer.Sample s = replay.sample(draw.uniforms(), draw.beta());
                Frames.write(out, ReplayProtocol.SAMPLED, o -> ReplayProtocol.writeSample(o, s));
            }
            case ReplayProtocol.UPDATE -> {
                record Update(int[] shards, int[] slots, double[] td) {}
                Update u = request.decode(d -> new Update(Wire.readInts(d, "shards"), Wire.readInts(d, "slots"), Wire.readDoubles(d, "tdErrors")));
                if (u.shards().length != u.td().length || u.slots().length != u.td().length) {
                    throw new IllegalArgumentException(u.td().length + " TD errors for " + u.shards().length + " shards and " + u.slots().length + " slots");
                }
                replay.updatePriorities(new ReplayServer.Sample(null, u.shards(), u.slots(), null), u.td());
                Frames.write(out, ReplayProtocol.UPDATED, o -> {});
            }
            case ReplayProtocol.SIZE -> {
                request.decode(d -> null);
                Frames.write(out, ReplayProtocol.SIZED, o -> o.writeInt(replay.size()));
            }
            default -> throw new IllegalArgumentException("not a request (" + ReplayProtocol.kindName(request.kind()) + ")");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
