package org.sinter.distributed.transport;

import java.lang.foreign.MemorySegment;

/**
 * A link to a rank on the same machine through two {@link ShmRing}s (one per direction), with a
 * TCP connection beside it that carries no data: its closing tells this side that the peer died,
 * so a wait on the ring fails at once instead of at the timeout.
 */
public final class ShmLink implements Link {
    private final int peer;
    private final String who;
    private final ShmRing out;
    private final ShmRing in;
    private final TcpLink control;

    ShmLink(int peer, String who, ShmRing out, ShmRing in, TcpLink control) {
        this.peer = peer;
        this.who = who;
        this.out = out;
        this.in = in;
        this.control = control;
    }

    @Override public int peer() { return peer; }
    @Override public String kind() { return "shm"; }
    /** Every byte is copied into or out of the ring, from the heap or not, so native memory saves nothing. */
    @Override public boolean stagesHeap() { return false; }

    @Override
    public void send(MemorySegment src, long deadlineNanos) {
        try {
            out.write(src, deadlineNanos, control::peerClosed, who + ": timed out sending to rank " + peer + " over shared memory");
        } catch (IllegalStateException e) {
            throw new PeerFailureException(peer, who + ": rank " + peer + " closed its connection (did it exit or fail?)", e);
        }
    }

    @Override
    public void recv(MemorySegment dst, long deadlineNanos) {
        try {
            in.read(dst, deadlineNanos, control::peerClosed, who + ": timed out receiving from rank " + peer + " over shared memory");
        } catch (IllegalStateException e) {
            throw new PeerFailureException(peer, who + ": rank " + peer + " closed its connection (did it exit or fail?)", e);
        }
    }

    @Override
    public void close() {
        control.close();
        // The mappings stay until the arenas close; no thread may be inside them by now.
        out.close();
        in.close();
    }
}
