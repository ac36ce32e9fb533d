package org.sinter.distributed.transport;

import java.lang.foreign.MemorySegment;

/**
 * An ordered, reliable byte pipe to one peer rank. Collectives move raw tensor bytes through it;
 * both sides must agree on the sizes. Every call has a deadline ({@link System#nanoTime()}), and
 * failures name the peer: {@link PeerFailureException} when the peer is gone, a timeout when it
 * did not answer. One thread may send while another receives.
 */
public interface Link extends AutoCloseable {
    /** The peer's rank in the group that owns the link. */
    int peer();

    /** {@code "tcp"} or {@code "shm"}. */
    String kind();

    /**
     * Whether a heap segment (a tensor's array) crosses a staging copy on its way to or from the
     * peer, so that a collective should rather forward bytes through native memory.
     */
    boolean stagesHeap();

    /** Sends all of {@code src}; returns once it is handed to the transport. */
    void send(MemorySegment src, long deadlineNanos);

    /** Receives exactly {@code dst.byteSize()} bytes into {@code dst}. */
    void recv(MemorySegment dst, long deadlineNanos);

    @Override
    void close();
}
