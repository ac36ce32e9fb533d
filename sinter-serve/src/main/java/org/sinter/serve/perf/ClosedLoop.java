package org.sinter.serve.perf;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The closed loop's engine, built as wrk is: {@code concurrency} keep-alive connections spread over a
 * few event-loop threads, each thread one {@link Selector} over non-blocking sockets. Every connection
 * sends a request, and sends the next as soon as the answer is in; there is no pipelining. With one
 * thread per core instead of one per connection, the generator pays no thread wake-up per answer and
 * reads every ready socket in one pass, so the CPU it takes from the server it measures on a small
 * machine is wrk's order (issue 12's bar: within 10% of wrk).
 *
 * <p>A request counts when it was sent inside the measured window, however long its answer takes.
 * A connection the server closed is reopened for the next request; a request whose answer never began
 * on a reused connection is sent once more on a fresh one, as wrk and browsers do; anything else (a
 * refused connection, a malformed answer, no answer within the timeout) fails that request.
 */
final class ClosedLoop {
    /** Per-thread outcome: latencies of the measured answers 200 and the count of measured failures. */
    private record Tally(long[] latencies, long failed) {}

    private final InetSocketAddress address;
    private final byte[] request;
    private final long measureFrom;
    private final long end;
    private final long timeoutNanos;

    /**
     * @param request the whole HTTP request, sent as it is on every exchange
     * @param measureFrom requests sent from this {@link System#nanoTime()} on are measured
     * @param end no request is sent from this time on
     */
    ClosedLoop(URI target, byte[] request, long measureFrom, long end, long timeoutNanos) {
        this.address = new InetSocketAddress(target.getHost(), target.getPort() == -1 ? 80 : target.getPort());
        this.request = request;
        this.measureFrom = measureFrom;
        this.end = end;
        this.timeoutNanos = timeoutNanos;
    }

    /** Runs {@code concurrency} connections over {@code threads} event loops until every request sent before the end is answered. */
    LoadGenerator.Step run(int concurrency, int threads, double seconds) throws InterruptedException {
        int loops = Math.max(1, Math.min(threads, concurrency));
        Tally[] tallies = new Tally[loops];
        Throwable[] crashed = new Throwable[1];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < loops; t++) {
            int index = t;
            // wrk's split: thread t gets concurrency/threads connections, the first ones one more each.
            int connections = concurrency / loops + (t < concurrency % loops ? 1 : 0);
            started.add(Thread.ofPlatform().daemon(true).name("perf-loop-" + t).start(() -> {
                try {
                    tallies[index] = new EventLoop(connections).run();
                } catch (IOException | RuntimeException e) {
                    synchronized (crashed) {
                        crashed[0] = e;
                    }
                }
            }));
        }
        // The process's CPU time over the measured window, sampled by this otherwise idle thread.
        LoadGenerator.sleepUntil(measureFrom);
        long cpuFrom = LoadGenerator.processCpuNanos();
        LoadGenerator.sleepUntil(end);
        long cpuTo = LoadGenerator.processCpuNanos();
        for (Thread t : started) t.join();
        if (crashed[0] != null) throw new IllegalStateException("a perf event loop failed: " + crashed[0], crashed[0]);
        long failed = 0;
        int total = 0;
        for (Tally y : tallies) {
            failed += y.failed;
            total += y.latencies.length;
        }
        long[] all = new long[total];
        int k = 0;
        for (Tally y : tallies) {
            System.arraycopy(y.latencies, 0, all, k, y.latencies.length);
            k += y.latencies.length;
        }
        Arrays.sort(all);
        double cpuPerRequest = cpuFrom < 0 || cpuTo < 0 || all.length == 0 ? Double.NaN : (cpuTo - cpuFrom) / 1e3 / all.length;
        return new LoadGenerator.Step(concurrency, all.length, failed, seconds, all.length / seconds, LoadGenerator.percentile(all, 50),
                LoadGenerator.percentile(all, 90), LoadGenerator.percentile(all, 95), LoadGenerator.percentile(all, 99), cpuPerRequest);
    }

    /** One thread's selector and its connections. */
    private final class EventLoop {
        private final Selector selector;
        private final Connection[] connections;
        /** Shared by this loop's connections: a read is parsed before the next one. */
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private long[] latencies = new long[4096];
        private int answered;
        private long failed;
        private int active;

        EventLoop(int n) throws IOException {
            selector = Selector.open();
            connections = new Connection[n];
            for (int i = 0; i < n; i++) connections[i] = new Connection();
        }

        Tally run() throws IOException {
            try {
                for (Connection c : connections) {
                    active++;
                    c.next(System.nanoTime());
                }
                long nextTimeoutCheck = System.nanoTime() + 100_000_000L;
                while (active > 0) {
                    selector.select(100);
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        Connection c = (Connection) key.attachment();
                        try {
                            if (key.isConnectable()) c.connected(now);
                            else if (key.isWritable()) c.write();
                            else if (key.isReadable()) c.read(now);
                        } catch (IOException e) {
                            c.fail(now);
                        }
                    }
                    selector.selectedKeys().clear();
                    if (now - nextTimeoutCheck >= 0) {
                        for (Connection c : connections) if (c.inFlight && now - c.sentAt > timeoutNanos) c.fail(now);
                        nextTimeoutCheck = now + 100_000_000L;
                    }
                }
            } finally {
                for (Connection c : connections) c.closeChannel();
                selector.close();
            }
            return new Tally(Arrays.copyOf(latencies, answered), failed);
        }

        /** One keep-alive connection: at most one request in flight. */
        private final class Connection {
            private final ResponseParser parser = new ResponseParser(address.toString());
            private final ByteBuffer out = ByteBuffer.wrap(request);
            private SocketChannel channel;
            private SelectionKey key;
            /** Answers completed on the current socket: a reused socket may have been closed while idle. */
            private int usesOfSocket;
            private boolean retried;
            boolean inFlight;
            long sentAt;

            /** Sends the next request, or retires the connection once the window has ended. */
            void next(long now) {
                if (now - end >= 0) {
                    inFlight = false;
                    closeChannel();
                    active--;
                    return;
                }
                sentAt = now;
                inFlight = true;
                retried = false;
                send(now);
            }

            private void send(long now) {
                try {
                    parser.reset(false);
                    out.clear();
                    if (channel == null) {
                        open();
                        return;  // the request goes once connected
                    }
                    write();
                } catch (IOException e) {
                    fail(now);
                }
            }

            private void open() throws IOException {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                usesOfSocket = 0;
                if (channel.connect(address)) {
                    key = channel.register(selector, 0, this);
                    write();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            }

            void connected(long now) throws IOException {
                channel.finishConnect();
                write();
            }

            /** Writes what the socket takes; waits for it to take the rest. */
            void write() throws IOException {
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }

            void read(long now) throws IOException {
                while (true) {
                    in.clear();
                    int n = channel.read(in);
                    if (n == 0) return;
                    if (n < 0) {
                        try {
                            parser.endOfStream();
                        } catch (ResponseParser.NoAnswerException e) {
                            // The server closed a kept-alive socket before reading this request: send it again, once.
                            if (usesOfSocket > 0 && !retried) {
                                retried = true;
                                closeChannel();
                                send(now);
                                return;
                            }
                            throw e;
                        }
                        closeChannel();
                        answered(now, parser.status());
                        return;
                    }
                    parser.feed(in.array(), 0, n);
                    if (parser.done()) {
                        usesOfSocket++;
                        if (parser.closeAfter()) closeChannel();
                        answered(now, parser.status());
                        return;
                    }
                }
            }

            private void answered(long now, int status) {
                if (sentAt - measureFrom >= 0) {
                    if (status == 200) {
                        if (answered == latencies.length) latencies = Arrays.copyOf(latencies, answered * 2);
                        latencies[answered++] = now - sentAt;
                    } else {
                        failed++;
                    }
                }
                next(now);
            }

            void fail(long now) {
                closeChannel();
                if (sentAt - measureFrom >= 0) failed++;
                next(now);
            }

            void closeChannel() {
                if (channel == null) return;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a socket that is already broken
                }
                channel = null;
                key = null;
            }
        }
    }
}
