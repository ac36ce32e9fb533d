package org.sinter.distributed.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of PyTorch's {@code TCPStore} protocol (see {@link StoreProtocol}): what rank 0
 * or {@code sinter launch} hosts, and what PyTorch's own {@code TCPStore} clients can talk to. One
 * virtual thread per connection; a waiting client parks its thread, not the server. A malformed
 * request closes that client's connection and nothing else.
 */
public final class TcpStoreServer implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, byte[]> data = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean closed;

    /** Listens on {@code port} (0 picks a free one) on all interfaces. */
    public TcpStoreServer(int port) {
        this(null, port);
    }

    /** Listens on {@code bindAddress} (null: all interfaces). */
    public TcpStoreServer(InetAddress bindAddress, int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bindAddress, port), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("TcpStoreServer: cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        Thread.ofPlatform().daemon().name("sinter-store-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) continue;
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (!closed) {
                int q = in.read();
                if (q < 0) return;
                handle(q, in, out);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or sent garbage: its connection ends, the store stays up.
        }
    }

    private void handle(int query, DataInputStream in, OutputStream out) throws IOException {
        switch (query) {
            case StoreProtocol.SET -> {
                String key = StoreProtocol.readString(in);
                byte[] value = StoreProtocol.readBytes(in);
                locked(() -> { data.put(key, value); changed.signalAll(); return null; });
            }
            case StoreProtocol.COMPARE_SET -> {
                String key = StoreProtocol.readString(in);
                byte[] expected = StoreProtocol.readBytes(in);
                byte[] desired = StoreProtocol.readBytes(in);
                byte[] now = locked(() -> {
                    byte[] cur = data.get(key);
                    if (cur == null && expected.length == 0 || cur != null && Arrays.equals(cur, expected)) {
                        data.put(key, desired);
                        changed.signalAll();
                        return desired;
                    }
                    return cur == null ? expected : cur;
                });
                StoreProtocol.writeBytes(out, now);
            }
            case StoreProtocol.GET -> {
                String key = StoreProtocol.readString(in);
                byte[] v = locked(() -> data.get(key));
                if (v == null) throw new IOException("GET of a missing key " + key); // clients WAIT first
                StoreProtocol.writeBytes(out, v);
            }
            case StoreProtocol.ADD -> {
                String key = StoreProtocol.readString(in);
                long delta = StoreProtocol.readLong(in);
                long sum = locked(() -> {
                    byte[] cur = data.get(key);
                    long v = (cur == null ? 0 : Long.parseLong(new String(cur, StandardCharsets.US_ASCII))) + delta;
                    // Stored as decimal text, as PyTorch's server does, so get() of a counter agrees.
                    data.put(key, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                    changed.signalAll();
                    return v;
                });
                StoreProtocol.writeLong(out, sum);
            }
            case StoreProtocol.CHECK -> {
                List<String> keys = readKeys(in);
                boolean ready = locked(() -> data.keySet().containsAll(keys));
                out.write(ready ? StoreProtocol.CHECK_READY : StoreProtocol.CHECK_NOT_READY);
            }
            case StoreProtocol.WAIT -> {
                List<String> keys = readKeys(in);
                lock.lock();
                try {
                    while (!closed && !data.keySet().containsAll(keys)) changed.awaitUninterruptibly();
                } finally {
                    lock.unlock();
                }
                if (!closed) out.write(StoreProtocol.STOP_WAITING);
            }
            case StoreProtocol.GETNUMKEYS -> StoreProtocol.writeLong(out, locked(() -> (long) data.size()));
            case StoreProtocol.DELETE_KEY -> {
                String key = StoreProtocol.readString(in);
                boolean removed = locked(() -> data.remove(key) != null);
                StoreProtocol.writeLong(out, removed ? 1 : 0);
            }
            default -> throw new IOException("unsupported store query type " + query);
        }
    }

    private static List<String> readKeys(DataInputStream in) throws IOException {
        long n = StoreProtocol.readLong(in);
        if (n < 0 || n > 1_000_000) throw new IOException("bad key count " + n);
        String[] keys = new String[(int) n];
        for (int i = 0; i < n; i++) keys[i] = StoreProtocol.readString(in);
        return List.of(keys);
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try { server.close(); } catch (IOException ignored) { }
        threads.shutdownNow();
    }
}
