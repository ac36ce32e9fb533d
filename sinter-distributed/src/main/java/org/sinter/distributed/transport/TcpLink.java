package org.sinter.distributed.transport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.sinter.distributed.store.DistributedTimeoutException;

/**
 * A link over one TCP connection in non-blocking mode: each direction waits in its own selector,
 * so a send and a receive can run at once on two threads and every wait has a deadline. Where
 * libc's calls can be bound ({@link SocketCalls}, Linux), every segment, a tensor's heap array
 * included, is read and written in place; otherwise native segments are, and heap arrays go
 * through a direct staging buffer. A socket that would run BBR runs CUBIC or Reno
 * ({@link CongestionControl}).
 */
public final class TcpLink implements Link {
    private static final int STAGING_BYTES = 1 << 20;

    private final int peer;
    private final String who;
    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final ByteBuffer sendStaging = ByteBuffer.allocateDirect(STAGING_BYTES);
    private final ByteBuffer recvStaging = ByteBuffer.allocateDirect(STAGING_BYTES);
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private final ReceiveLowWater lowWater;
    /** The socket's descriptor for {@link SocketCalls}, or -1: the NIO path. */
    private final int fd;
    private final MemorySegment sendErrno;
    private final MemorySegment recvErrno;
    /** Calls on {@link #fd} in progress; close waits for them, so none can reach a reused descriptor. */
    private final AtomicInteger inCall = new AtomicInteger();
    private volatile boolean closed;

    /** Wraps a connected channel to {@code peer}; {@code who} names this side in errors ("rank 2"). */
    public TcpLink(int peer, String who, SocketChannel channel) throws IOException {
        this.peer = peer;
        this.who = who;
        this.channel = channel;
        channel.socket().setTcpNoDelay(true);
        channel.configureBlocking(false);
        int descriptor = SocketDescriptor.of(channel);
        try {
            CongestionControl.apply(descriptor);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException(who + ", link to rank " + peer + ": " + e.getMessage(), e);
        }
        lowWater = ReceiveLowWater.of(descriptor);
        fd = SocketCalls.available() ? descriptor : -1;
        sendErrno = fd < 0 ? null : SocketCalls.errnoState();
        recvErrno = fd < 0 ? null : SocketCalls.errnoState();
        readSelector = Selector.open();
        writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    @Override public int peer() { return peer; }
    @Override public String kind() { return "tcp"; }
    @Override public boolean stagesHeap() { return fd < 0; }

    @Override
    public void send(MemorySegment src, long deadlineNanos) {
        try {
            if (fd >= 0) {
                sendInPlace(src, deadlineNanos);
                return;
            }
            if (src.isNative()) {
                writeFully(src.asByteBuffer(), deadlineNanos);
                return;
            }
            long done = 0, n = src.byteSize();
            while (done < n) {
                int part = (int) Math.min(STAGING_BYTES, n - done);
                sendStaging.clear().limit(part);
                MemorySegment.ofBuffer(sendStaging).copyFrom(src.asSlice(done, part));
                writeFully(sendStaging, deadlineNanos);
                done += part;
            }
        } catch (IOException e) {
            throw gone("sending to", e);
        }
    }

    private void sendInPlace(MemorySegment src, long deadlineNanos) throws IOException {
        long done = 0, n = src.byteSize();
        while (done < n) {
            long sent = onDescriptor(true, src.asSlice(done));
            if (sent == 0) await(writeSelector, deadlineNanos, "sending to");
            done += sent;
        }
    }

    private void recvInPlace(MemorySegment dst, long deadlineNanos) throws IOException {
        long done = 0, n = dst.byteSize();
        while (done < n) {
            long got = onDescriptor(false, dst.asSlice(done));
            if (got < 0) throw closedByPeer();
            if (got == 0) {
                lowWater.set(n - done); // wake once a useful amount is there, not per packet
                await(readSelector, deadlineNanos, "receiving from");
            }
            done += got;
        }
    }

    /**
     * One {@link SocketCalls} send or receive on {@link #fd}, unless the link is closed (the
     * descriptor may then be another file's already); {@link #close} waits for calls under way.
     */
    private long onDescriptor(boolean sending, MemorySegment at) throws IOException {
        inCall.incrementAndGet();
        try {
            if (closed) throw closedLocally();
            return sending ? SocketCalls.send(fd, at, sendErrno) : SocketCalls.recv(fd, at, recvErrno);
        } finally {
            inCall.decrementAndGet();
        }
    }

    private void writeFully(ByteBuffer b, long deadlineNanos) throws IOException {
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) await(writeSelector, deadlineNanos, "sending to");
        }
    }

    @Override
    public void recv(MemorySegment dst, long deadlineNanos) {
        try {
            if (fd >= 0) {
                recvInPlace(dst, deadlineNanos);
                return;
            }
            if (dst.isNative()) {
                readFully(dst.asByteBuffer(), deadlineNanos);
                return;
            }
            long done = 0, n = dst.byteSize();
            while (done < n) {
                int part = (int) Math.min(STAGING_BYTES, n - done);
                recvStaging.clear().limit(part);
                readFully(recvStaging, deadlineNanos);
                dst.asSlice(done, part).copyFrom(MemorySegment.ofBuffer(recvStaging.flip()));
                done += part;
            }
        } catch (IOException e) {
            throw gone("receiving from", e);
        }
    }

    private void readFully(ByteBuffer b, long deadlineNanos) throws IOException {
        while (b.hasRemaining()) {
            int r = channel.read(b);
            if (r < 0) throw closedByPeer();
            if (r == 0) {
                lowWater.set(b.remaining()); // wake once a useful amount is there, not per packet
                await(readSelector, deadlineNanos, "receiving from");
            }
        }
    }

    private void await(Selector selector, long deadlineNanos, String what) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new DistributedTimeoutException(who + ": timed out " + what + " rank " + peer + " (rank " + peer
                    + " did not answer within the timeout)");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        if (closed) throw closedLocally();
    }

    private PeerFailureException closedByPeer() {
        return new PeerFailureException(peer, who + ": rank " + peer + " closed its connection (did it exit or fail?)", null);
    }

    private PeerFailureException closedLocally() {
        return new PeerFailureException(peer, who + ": link to rank " + peer + " was closed locally", null);
    }

    /**
     * Whether the peer has closed the connection, without blocking. Only for a link that carries
     * no data (the control link beside a shared-memory one): a byte read here would be lost.
     */
    public boolean peerClosed() {
        try {
            probe.clear();
            return channel.read(probe) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private RuntimeException gone(String what, IOException e) {
        return new PeerFailureException(peer, who + ": connection to rank " + peer + " failed while " + what + " it: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closed = true;
        while (inCall.get() > 0) Thread.onSpinWait(); // a call in flight returns within a memory copy
        try { channel.close(); } catch (IOException ignored) { }
        try { readSelector.close(); } catch (IOException ignored) { }
        try { writeSelector.close(); } catch (IOException ignored) { }
    }
}
