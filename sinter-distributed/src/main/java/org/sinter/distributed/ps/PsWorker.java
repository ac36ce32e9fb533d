package org.sinter.distributed.ps;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * A worker of a parameter-server job: its model's parameters, flattened in registration order,
 * are split into contiguous shards, one per server ({@link #shardSizes}). {@link #pull()} copies
 * the servers' current values into the model; {@link #push()} sends the model's gradients and
 * advances the worker's clock. A training loop is {@code pull(); forward; backward; push();}.
 */
public final class PsWorker implements AutoCloseable {
    private final int worker;
    private final List<Tensor> params;
    private final int[] shardSizes;
    private final List<Connection> servers = new ArrayList<>();
    private long clock;

    /**
     * Connects worker {@code worker} of {@code model} to the servers at {@code addresses} (shard
     * order); each server must hold exactly the shard this split gives it.
     */
    public PsWorker(int worker, Module model, List<InetSocketAddress> addresses, Duration timeout) {
        this.worker = worker;
        this.params = new ArrayList<>(model.parameters());
        long total = 0;
        for (Tensor p : params) total += p.numel();
        this.shardSizes = shardSizes(total, addresses.size());
        try {
            for (int s = 0; s < addresses.size(); s++) servers.add(new Connection(s, addresses.get(s), timeout));
            for (int s = 0; s < servers.size(); s++) {
                int n = servers.get(s).hello(worker);
                if (n != shardSizes[s]) {
                    throw new IllegalStateException("parameter server shard " + s + " at " + addresses.get(s) + " holds " + n
                            + " values; worker " + worker + "'s model gives it " + shardSizes[s]);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The even split of {@code total} values over {@code shards} servers (the first ones take the remainder). */
    public static int[] shardSizes(long total, int shards) {
        if (shards < 1) throw new IllegalArgumentException("parameter server: at least one shard, got " + shards);
        int[] out = new int[shards];
        for (int s = 0; s < shards; s++) out[s] = Math.toIntExact(total / shards + (s < total % shards ? 1 : 0));
        return out;
    }

    /** The model's parameters flattened in registration order (a server's initial values come from here). */
    public static float[] flatten(Module model) {
        List<Tensor> ps = model.parameters();
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : ps) flat.add(p.detach().reshape(-1));
        return Tensor.cat(flat, 0).toFloatArray().clone();
    }

    /** Shard {@code s}'s slice of {@link #flatten}'s values. */
    public static float[] shard(float[] flat, int shards, int s) {
        int[] sizes = shardSizes(flat.length, shards);
        int from = 0;
        for (int i = 0; i < s; i++) from += sizes[i];
        return java.util.Arrays.copyOfRange(flat, from, from + sizes[s]);
    }

    public long clock() { return clock; }

    /** Reads every shard (waiting as the consistency model requires) into the model's parameters. */
    public void pull() {
        float[] flat = new float[totalSize()];
        int off = 0;
        for (Connection c : servers) {
            float[] v = c.pull(worker, clock);
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        try (var _ = Sinter.noGrad()) {
            int at = 0;
            for (Tensor p : params) {
                int n = (int) p.numel();
                p.copy_(Tensor.of(java.util.Arrays.copyOfRange(flat, at, at + n), p.shape()));
                at += n;
            }
        }
    }

    /** Sends the model's gradients (zeros for parameters without one) and advances the clock. */
    public void push() {
        float[] flat = new float[totalSize()];
        int at = 0;
        for (Tensor p : params) {
            int n = (int) p.numel();
            if (p.grad() != null) System.arraycopy(p.grad().contiguous().toFloatArray(), 0, flat, at, n);
            at += n;
        }
        int off = 0;
        for (int s = 0; s < servers.size(); s++) {
            servers.get(s).push(worker, clock, java.util.Arrays.copyOfRange(flat, off, off + shardSizes[s]));
            off += shardSizes[s];
        }
        clock++;
    }

    private int totalSize() {
        int n = 0;
        for (int s : shardSizes) n += s;
        return n;
    }

    @Override
    public void close() {
        for (Connection c : servers) c.close();
    }

    /** One server's connection; requests are answered in order. */
    private static final class Connection {
        final int shard;
        final InetSocketAddress address;
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        Connection(int shard, InetSocketAddress address, Duration timeout) {
            this.shard = shard;
            this.address = address;
            try {
                socket = new Socket();
                socket.connect(address, (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis() + 5_000); // the server's own waits time out first
                socket.setTcpNoDelay(true);
                in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            } catch (IOException e) {
                throw new UncheckedIOException("parameter server shard " + shard + " at " + address + ": cannot connect: " + e.getMessage(), e);
            }
        }

        int hello(int worker) {
            try {
                out.writeByte(PsProtocol.HELLO);
                out.writeInt(worker);
                out.writeInt(PsProtocol.VERSION);
                out.flush();
                expect(PsProtocol.OK);
                return in.readInt();
            } catch (IOException e) {
                throw failed("hello", e);
            }
        }

        float[] pull(int worker, long clock) {
            try {
                out.writeByte(PsProtocol.PULL);
                out.writeInt(worker);
                out.writeLong(clock);
                out.flush();
                expect(PsProtocol.VALUES);
                in.readLong(); // the server's version: informative
                return PsProtocol.readFloats(in, "parameter server shard " + shard);
            } catch (IOException e) {
                throw failed("pull", e);
            }
        }

        void push(int worker, long clock, float[] grad) {
            try {
                out.writeByte(PsProtocol.PUSH);
                out.writeInt(worker);
                out.writeLong(clock);
                PsProtocol.writeFloats(out, grad);
                out.flush();
                expect(PsProtocol.OK);
            } catch (IOException e) {
                throw failed("push", e);
            }
        }

        private void expect(byte code) throws IOException {
            byte got = in.readByte();
            if (got == PsProtocol.ERROR) throw new IllegalStateException(in.readUTF());
            if (got != code) throw new IOException("unexpected reply code " + got);
        }

        private RuntimeException failed(String what, IOException e) {
            return new UncheckedIOException("parameter server shard " + shard + " at " + address + ": " + what + " failed: " + e.getMessage(), e);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
