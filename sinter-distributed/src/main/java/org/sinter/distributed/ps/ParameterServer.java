package org.sinter.distributed.ps;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * One shard of a parameter server (Li et al., OSDI 2014; course 6.4): it owns a contiguous range of
 * the model's flattened parameters, answers workers' pulls with its current values and applies
 * their pushed gradients with its own optimizer (any {@link Optimizer}: the update runs where the
 * parameters live). The {@link Consistency} decides when a pull may be answered and when a
 * gradient is applied: SYNC averages the gradients of all workers for a clock, then steps once;
 * SSP and ASYNC step on each gradient as it arrives (scaled by 1/workers, so a round of pushes
 * moves the parameters as far as one synchronous step) and SSP holds back a pull from a worker
 * more than {@code staleness} clocks ahead of the slowest.
 *
 * <p>One virtual thread serves each worker's connection. Frames are checked (sizes, clocks,
 * worker ids) and refused with an error naming what is wrong; a wait longer than the timeout fails
 * the request rather than hanging.
 */
public final class ParameterServer implements AutoCloseable {
    private final int shard;
    private final int workers;
    private final Consistency consistency;
    private final Duration timeout;
    private final Tensor values;
    private final Optimizer optimizer;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<Socket> connections = new ArrayList<>();

    // Guarded by `this`.
    private final long[] clocks;
    private final float[] accumulated;
    private int pushedThisClock;
    private long version;
    private int maxObservedGap;
    private volatile boolean closed;

    /**
     * Serves shard {@code shard} with initial values {@code initial} to {@code workers} workers on
     * {@code bind} (port 0 picks a free one).
     */
    public ParameterServer(int shard, float[] initial, int workers, Consistency consistency,
                           Function<List<ParamGroup>, Optimizer> optimizer, InetSocketAddress bind, Duration timeout) throws IOException {
        if (workers < 1) throw new IllegalArgumentException("ParameterServer: workers must be >= 1, got " + workers);
        this.shard = shard;
        this.workers = workers;
        this.consistency = consistency;
        this.timeout = timeout;
        this.values = Tensor.of(initial.clone(), initial.length).requiresGrad(true);
        this.optimizer = optimizer.apply(List.of(ParamGroup.of(values)));
        this.clocks = new long[workers];
        this.accumulated = new float[initial.length];
        this.socket = new ServerSocket();
        socket.bind(bind);
        this.acceptor = Thread.ofVirtual().name("ps-shard" + shard + "-accept").start(this::acceptLoop);
    }

    /** Loopback, a free port, 60 s timeout. */
    public ParameterServer(int shard, float[] initial, int workers, Consistency consistency,
                           Function<List<ParamGroup>, Optimizer> optimizer) throws IOException {
        this(shard, initial, workers, consistency, optimizer, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofSeconds(60));
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }

    /** The number of elements this shard holds. */
    public int size() { return accumulated.length; }

    /** A copy of the shard's current values. */
    public synchronized float[] values() { return values.toFloatArray().clone(); }

    /** Optimizer steps applied so far (SYNC: completed clocks; otherwise gradients applied). */
    public synchronized long version() { return version; }

    /** The largest gap (fastest worker's clock − slowest's) seen when a pull was answered. */
    public synchronized int maxObservedClockGap() { return maxObservedGap; }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                synchronized (connections) {
                    connections.add(s);
                }
                Thread.ofVirtual().name("ps-shard" + shard + "-conn").start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) System.err.println("parameter server shard " + shard + ": accept failed: " + e.getMessage());
                return;
            }
        }
    }

    private void serve(Socket s) {
        String who = "parameter server shard " + shard;
        try (s; var in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
             var out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()))) {
            s.setTcpNoDelay(true);
            while (!closed) {
                byte op;
                try {
                    op = in.readByte();
                } catch (EOFException e) {
                    return; // the worker closed its connection
                }
                try {
                    handle(op, in, out);
                } catch (PsException e) {
                    out.writeByte(PsProtocol.ERROR);
                    out.writeUTF(who + ": " + e.getMessage());
                    out.flush();
                    if (e.fatal) return; // the stream can no longer be trusted
                }
            }
        } catch (SocketException | SocketTimeoutException e) {
            // Closed underneath us (shutdown) or a dead peer: nothing to answer.
        } catch (IOException e) {
            if (!closed) System.err.println("parameter server shard " + shard + ": connection failed: " + e.getMessage());
        }
    }

    private void handle(byte op, DataInputStream in, DataOutputStream out) throws IOException {
        switch (op) {
            case PsProtocol.HELLO -> {
                int worker = in.readInt(), protocol = in.readInt();
                checkWorker(worker);
                if (protocol != PsProtocol.VERSION) throw new PsException("worker " + worker + " speaks protocol " + protocol + ", this server " + PsProtocol.VERSION, true);
                out.writeByte(PsProtocol.OK);
                out.writeInt(size());
                out.flush();
            }
            case PsProtocol.PULL -> {
                int worker = in.readInt();
                long clock = in.readLong();
                checkWorker(worker);
                float[] v;
                long ver;
                synchronized (this) {
                    awaitReadable(worker, clock);
                    v = values.toFloatArray().clone();
                    ver = version;
                }
                out.writeByte(PsProtocol.VALUES);
                out.writeLong(ver);
                PsProtocol.writeFloats(out, v);
                out.flush();
            }
            case PsProtocol.PUSH -> {
                int worker = in.readInt();
                long clock = in.readLong();
                float[] grad = PsProtocol.readFloats(in, "parameter server shard " + shard);
                checkWorker(worker);
                if (grad.length != size()) throw new PsException("worker " + worker + " pushed " + grad.length + " values to a shard of " + size(), false);
                synchronized (this) {
                    push(worker, clock, grad);
                }
                out.writeByte(PsProtocol.OK);
                out.flush();
            }
            default -> throw new PsException("unknown request code " + op, true);
        }
    }

    private void checkWorker(int worker) {
        if (worker < 0 || worker >= workers) throw new PsException("worker id " + worker + " outside 0.." + (workers - 1), false);
    }

    /** Waits (holding the monitor's wait set) until worker's read of {@code clock} is allowed. */
    private void awaitReadable(int worker, long clock) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readable(clock)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                throw new PsException("worker " + worker + "'s pull at clock " + clock + " waited " + timeout.toSeconds()
                        + " s for the other workers (clocks " + Arrays.toString(clocks) + ", " + consistency.kind() + ")", false);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PsException("interrupted", true);
            }
        }
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (long c : clocks) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        maxObservedGap = (int) Math.max(maxObservedGap, Math.max(max, clock) - min);
    }

    private boolean readable(long clock) {
        return switch (consistency.kind()) {
            case SYNC -> version >= clock;
            case ASYNC -> true;
            case SSP -> {
                long min = Long.MAX_VALUE;
                for (long c : clocks) min = Math.min(min, c);
                yield min >= clock - consistency.staleness();
            }
        };
    }

    private void push(int worker, long clock, float[] grad) {
        if (clock != clocks[worker]) {
            throw new PsException("worker " + worker + " pushed clock " + clock + " but its next clock is " + clocks[worker], false);
        }
        if (consistency.kind() == Consistency.Kind.SYNC) {
            if (clock != version) throw new PsException("worker " + worker + " pushed clock " + clock + " while the server is at clock " + version + " (SYNC)", false);
            for (int i = 0; i < grad.length; i++) accumulated[i] += grad[i];
            clocks[worker]++;
            if (++pushedThisClock == workers) {
                for (int i = 0; i < grad.length; i++) accumulated[i] /= workers;
                apply(accumulated);
                Arrays.fill(accumulated, 0);
                pushedThisClock = 0;
            }
        } else {
            float[] scaled = grad.clone();
            for (int i = 0; i < scaled.length; i++) scaled[i] /= workers;
            clocks[worker]++;
            apply(scaled);
        }
        notifyAll();
    }

    private void apply(float[] grad) {
        try (var _ = Sinter.noGrad()) {
            values.setGrad(Tensor.of(grad.clone(), grad.length));
            optimizer.step();
        }
        version++;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
        synchronized (connections) {
            for (Socket s : connections) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
        synchronized (this) {
            notifyAll();
        }
        acceptor.interrupt();
    }

    /** A refused request; {@code fatal} when the connection must be dropped after answering. */
    static final class PsException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient boolean fatal;

        PsException(String message, boolean fatal) {
            super(message);
            this.fatal = fatal;
        }
    }
}
