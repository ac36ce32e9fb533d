package org.sinter.distributed.store;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * A client of a TCP store speaking PyTorch's {@code TCPStore} protocol: {@link TcpStoreServer}, or
 * the store {@code torchrun}'s agent hosts. Connecting retries until the timeout (the server may
 * start after its clients). After a timed-out wait the connection is dropped and reopened, since
 * the server may still answer the abandoned request.
 */
public final class TcpStore implements Store {
    private final String host;
    private final int port;
    private final Duration timeout;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    public TcpStore(String host, int port, Duration timeout) {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("TcpStore: port must be in 1..65535, got " + port);
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        connect();
    }

    private void connect() {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        long backoffMs = 10;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), (int) Math.max(1, Math.min(5000, remainingMs(deadline))));
                socket = s;
                in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                out = new BufferedOutputStream(s.getOutputStream());
                return;
            } catch (IOException e) {
                last = e;
                try { s.close(); } catch (IOException ignored) { }
                sleep(Math.min(backoffMs, Math.max(1, remainingMs(deadline))));
                backoffMs = Math.min(500, backoffMs * 2);
            }
        }
        throw new DistributedTimeoutException("TcpStore: could not connect to the store at " + host + ":" + port + " within "
                + timeout.toSeconds() + " s" + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private static long remainingMs(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("TcpStore: interrupted while connecting", e);
        }
    }

    private void ensureOpen() {
        if (socket == null) connect();
    }

    private void drop() {
        try { if (socket != null) socket.close(); } catch (IOException ignored) { }
        socket = null;
    }

    private void readTimeout(Duration t) throws IOException {
        long ms = t.toMillis();
        socket.setSoTimeout(ms <= 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public synchronized void set(String key, byte[] value) {
        ensureOpen();
        try {
            out.write(StoreProtocol.SET);
            StoreProtocol.writeString(out, key);
            StoreProtocol.writeBytes(out, value);
            out.flush();
        } catch (IOException e) {
            drop();
            throw failure("set", key, e);
        }
    }

    @Override
    public synchronized byte[] get(String key) {
        waitFor(List.of(key), timeout);
        try {
            readTimeout(timeout);
            out.write(StoreProtocol.GET);
            StoreProtocol.writeString(out, key);
            out.flush();
            return StoreProtocol.readBytes(in);
        } catch (IOException e) {
            drop();
            throw failure("get", key, e);
        }
    }

    @Override
    public synchronized long add(String key, long delta) {
        ensureOpen();
        try {
            readTimeout(timeout);
            out.write(StoreProtocol.ADD);
            StoreProtocol.writeString(out, key);
            StoreProtocol.writeLong(out, delta);
            out.flush();
            return StoreProtocol.readLong(in);
        } catch (IOException e) {
            drop();
            throw failure("add", key, e);
        }
    }

    @Override
    public synchronized boolean check(List<String> keys) {
        ensureOpen();
        try {
            readTimeout(timeout);
            out.write(StoreProtocol.CHECK);
            StoreProtocol.writeLong(out, keys.size());
            for (String k : keys) StoreProtocol.writeString(out, k);
            out.flush();
            return StoreProtocol.readByte(in) == StoreProtocol.CHECK_READY;
        } catch (IOException e) {
            drop();
            throw failure("check", String.join(",", keys), e);
        }
    }

    @Override
    public synchronized void waitFor(List<String> keys, Duration waitTimeout) {
        ensureOpen();
        try {
            readTimeout(waitTimeout);
            out.write(StoreProtocol.WAIT);
            StoreProtocol.writeLong(out, keys.size());
            for (String k : keys) StoreProtocol.writeString(out, k);
            out.flush();
            int r = StoreProtocol.readByte(in);
            if (r != StoreProtocol.STOP_WAITING) throw new IOException("store: unexpected wait response " + r);
        } catch (SocketTimeoutException e) {
            drop();
            throw new DistributedTimeoutException("TcpStore: timed out after " + waitTimeout.toMillis() + " ms waiting for keys "
                    + keys + " at " + host + ":" + port);
        } catch (IOException e) {
            drop();
            throw failure("wait", String.join(",", keys), e);
        }
    }

    private RuntimeException failure(String op, String key, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new DistributedTimeoutException("TcpStore: " + op + "('" + key + "') got no answer from " + host + ":" + port
                    + " within " + timeout.toMillis() + " ms");
        }
        return new UncheckedIOException("TcpStore: " + op + "('" + key + "') failed on the store at " + host + ":" + port
                + ": " + e.getMessage(), e);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
