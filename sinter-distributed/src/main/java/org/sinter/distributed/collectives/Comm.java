package org.sinter.distributed.collectives;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sinter.DType;
import org.sinter.distributed.store.DistributedTimeoutException;
import org.sinter.distributed.transport.Link;

/**
 * What a collective algorithm sees of its group: this rank, the group size, one link per peer and
 * the deadline of the current operation. Sends run on one thread per peer so that a rank can
 * send and receive at once (a ring where everyone sent first would otherwise deadlock once the
 * socket buffers fill).
 */
public final class Comm implements AutoCloseable {
    private final int rank;
    private final int size;
    private final Link[] links;
    private final ExecutorService[] senders;
    private long deadline;
    /** Scratch kept between operations, which run one at a time on the group's thread. */
    private MemorySegment scratch = MemorySegment.NULL;
    private Buf heapScratch;

    public Comm(int rank, int size, Link[] links) {
        this.rank = rank;
        this.size = size;
        this.links = links;
        this.senders = new ExecutorService[size];
        for (int p = 0; p < size; p++) {
            if (p == rank) continue;
            int peer = p;
            senders[p] = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                    .name("sinter-send-" + rank + "-to-" + peer).unstarted(r));
        }
    }

    public int rank() { return rank; }
    public int size() { return size; }
    public Link link(int peer) { return links[peer]; }

    /**
     * {@code count} elements of off-heap scratch, valid until the next call (for the operation
     * running now); grown as needed and kept, so a collective does not allocate and zero it anew.
     */
    public Buf scratch(DType dtype, long count) {
        long bytes = Math.max(1, count) * dtype.itemSize();
        if (scratch.byteSize() < bytes) scratch = Arena.ofAuto().allocate(bytes, 8);
        return new Buf(scratch.asSlice(0, count * dtype.itemSize()), dtype);
    }

    /**
     * As {@link #scratch}, but an array of {@code dtype}'s Java type: for links that read into
     * the heap in place ({@link Link#stagesHeap()} false), where an array lets the reduction run
     * over two arrays without a copy.
     */
    public Buf heapScratch(DType dtype, long count) {
        if (heapScratch == null || heapScratch.dtype() != dtype || heapScratch.count() < count) heapScratch = Buf.heap(dtype, count);
        return heapScratch.slice(0, count);
    }

    /** Starts the timeout of one operation. */
    public void startOperation(long timeoutNanos) {
        deadline = System.nanoTime() + timeoutNanos;
    }

    public long deadline() { return deadline; }

    /** Sends on the peer's send thread; the segment must stay unchanged until the returned future is done. */
    public Future<?> sendAsync(int peer, Buf buf) {
        MemorySegment seg = buf.segment();
        long d = deadline;
        return senders[peer].submit(() -> links[peer].send(seg, d));
    }

    /**
     * Sends on the peer's send thread with an explicit deadline, as a future that completes when the
     * bytes are out (point-to-point sends, which must not hold the group's thread while the peer is
     * busy, so that two ranks sending to each other at once cannot deadlock).
     */
    public CompletableFuture<Void> sendDetached(int peer, Buf buf, long deadlineNanos) {
        MemorySegment seg = buf.segment();
        return CompletableFuture.runAsync(() -> links[peer].send(seg, deadlineNanos), senders[peer]);
    }

    public void send(int peer, Buf buf) {
        await(sendAsync(peer, buf));
    }

    public void recv(int peer, Buf buf) {
        links[peer].recv(buf.segment(), deadline);
    }

    /** Sends {@code out} to {@code to} while receiving {@code in} from {@code from}. */
    public void sendRecv(int to, Buf out, int from, Buf in) {
        Future<?> f = sendAsync(to, out);
        recv(from, in);
        await(f);
    }

    /** Waits for a send, rethrowing its failure as it was thrown on the send thread. */
    public void await(Future<?> f) {
        try {
            long left = deadline - System.nanoTime();
            f.get(Math.max(0, left) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new DistributedTimeoutException("rank " + rank + ": a send did not complete within the timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rank " + rank + ": interrupted waiting for a send", e);
        }
    }

    @Override
    public void close() {
        for (Link l : links) if (l != null) l.close();
        for (ExecutorService s : senders) if (s != null) s.shutdownNow();
    }
}
