package org.sinter.distributed.collectives;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.sinter.DType;
import org.sinter.distributed.ReduceOp;

/**
 * The two phases of the ring algorithm over a flat buffer cut into one block per rank (blocks
 * may differ in size and be empty). Each of the n − 1 steps sends one block to the right
 * neighbour while receiving one from the left, so every link carries (n − 1)/n of the data per
 * phase: the bandwidth-optimal schedule.
 */
public final class Ring {
    private Ring() {}

    /** Element offsets of {@code counts}' blocks. */
    public static long[] offsets(long[] counts) {
        long[] off = new long[counts.length + 1];
        for (int i = 0; i < counts.length; i++) off[i + 1] = off[i] + counts[i];
        return off;
    }

    /** {@code total} split into {@code parts} blocks whose sizes differ by at most one. */
    public static long[] evenCounts(long total, int parts) {
        long[] c = new long[parts];
        for (int i = 0; i < parts; i++) c[i] = total / parts + (i < total % parts ? 1 : 0);
        return c;
    }

    /** Afterwards block {@code rank} of {@code buf} holds the reduction of every rank's block {@code rank}. */
    public static void reduceScatter(Comm c, Buf buf, long[] counts, ReduceOp op) {
        int n = c.size(), r = c.rank();
        if (n == 1) return;
        long[] off = offsets(counts);
        long max = 0;
        for (long k : counts) max = Math.max(max, k);
        Buf tmp = Buf.scratch(buf.dtype(), max);
        int right = (r + 1) % n, left = (r - 1 + n) % n;
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(r - step - 1, n);
            int recvBlock = Math.floorMod(r - step - 2, n);
            Buf in = tmp.slice(0, counts[recvBlock]);
            c.sendRecv(right, buf.slice(off[sendBlock], counts[sendBlock]), left, in);
            Reduction.combine(op, buf.slice(off[recvBlock], counts[recvBlock]), in);
        }
    }

    /** Given block {@code rank} on each rank, leaves every block on every rank. */
    public static void allGather(Comm c, Buf buf, long[] counts) {
        int n = c.size(), r = c.rank();
        if (n == 1) return;
        long[] off = offsets(counts);
        int right = (r + 1) % n, left = (r - 1 + n) % n;
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(r - step, n);
            int recvBlock = Math.floorMod(r - step - 1, n);
            c.sendRecv(right, buf.slice(off[sendBlock], counts[sendBlock]), left, buf.slice(off[recvBlock], counts[recvBlock]));
        }
    }

    /**
     * Segment size of the pipelined ring: small enough to keep links busy, large enough to amortize
     * a send ({@code -Dsinter.ring.segmentBytes}; 256 KiB and 64 KiB were no faster on 1 Gbit/s links).
     * Read at each call, so tests can cut small buffers into many segments.
     */
    static long segmentBytes() {
        return Math.max(1, Long.getLong("sinter.ring.segmentBytes", 1 << 20));
    }

    /**
     * Whether a heap buffer's ring receives the segments it forwards into off-heap slots and sends
     * them from there ({@code -Dsinter.ring.scratchForward}, on by default; off for A/B timing and
     * the test that compares both paths).
     */
    static boolean scratchForward() {
        return Boolean.parseBoolean(System.getProperty("sinter.ring.scratchForward", "true"));
    }

    /**
     * Ring all-reduce with each block cut into segments that are forwarded as soon as they are
     * reduced (reduce-scatter) or received (all-gather), so a rank never waits for a whole block
     * before passing it on and the links stay busy: the schedule of gloo's and NCCL's rings.
     * The bytes each link carries are the same 2(n−1)/n of the buffer.
     *
     * <p>Where the link reads and writes a heap buffer (a tensor's array) in place (TCP on Linux,
     * {@link org.sinter.distributed.transport.Link#stagesHeap()} false), the rank receives each
     * partial sum into a slot, adds it into the buffer and sends it from there, and receives the
     * all-gather's blocks straight into the buffer and forwards them from there, as gloo does: no
     * copy in user memory but the reduction's. Where every send of a heap buffer would go through
     * the link's staging copy and every receive into it through another, the segments a rank only
     * forwards (the partial sums of the reduce-scatter, the blocks it passes on in the all-gather)
     * are received into off-heap {@link Slots}, reduced there and sent from there, so they cross
     * user memory once instead of three times. Shared-memory links copy either way, so they keep
     * the direct path.
     */
    public static void allReducePipelined(Comm c, Buf buf, ReduceOp op) {
        int n = c.size(), r = c.rank();
        if (n == 1 || buf.count() == 0) return;
        long[] counts = evenCounts(buf.count(), n);
        long[] off = offsets(counts);
        long seg = Math.min(counts[0], Math.max(1, segmentBytes() / buf.dtype().itemSize()));
        int right = (r + 1) % n, left = (r - 1 + n) % n;
        boolean viaSlots = scratchForward() && !buf.segment().isNative() && c.link(right).stagesHeap();
        // A rank sends one block while it receives the next, so a block's worth of forwarded
        // segments (and two more) can wait for the send thread at once.
        RingTrace trace = RingTrace.begin(r);
        // Without slots, received segments are reduced into the buffer; an array, where the link
        // reads into the heap in place, lets that reduction run over two arrays.
        boolean heapSlot = !viaSlots && !buf.segment().isNative() && !c.link(left).stagesHeap();
        Slots slots = new Slots(c, buf.dtype(), seg, viaSlots ? (int) Math.ceilDiv(counts[0], seg) + 2 : 1, heapSlot, trace);
        List<Future<?>> sends = new ArrayList<>();
        int first = Math.floorMod(r - 1, n);
        sends.add(c.sendAsync(right, buf.slice(off[first], counts[first])));
        // Reduce-scatter: the block reduced at step k is the one sent at step k + 1; the last one
        // (block r, now complete) is the first block of the all-gather.
        for (int step = 0; step < n - 1; step++) {
            int b = Math.floorMod(r - step - 2, n);
            boolean kept = step == n - 2;
            for (long s = 0; s < counts[b]; s += seg) {
                long len = Math.min(seg, counts[b] - s);
                Buf in = slots.take(len);
                c.recv(left, in);
                if (trace != null) trace.arrived();
                Buf mine = buf.slice(off[b] + s, len);
                if (kept || !viaSlots) {
                    Reduction.combine(op, mine, in);
                    sends.add(c.sendAsync(right, mine));
                } else {
                    Reduction.combine(op, in, mine); // the same bits as into mine: every op commutes
                    slots.sent(c.sendAsync(right, in));
                }
            }
        }
        // All-gather: forward each received segment unless the right neighbour already has it.
        for (int step = 0; step < n - 1; step++) {
            int b = Math.floorMod(r - step - 1, n);
            boolean forward = step < n - 2;
            for (long s = 0; s < counts[b]; s += seg) {
                long len = Math.min(seg, counts[b] - s);
                Buf into = buf.slice(off[b] + s, len);
                if (forward && viaSlots) {
                    Buf slot = slots.take(len);
                    c.recv(left, slot);
                    if (trace != null) trace.arrived();
                    slots.sent(c.sendAsync(right, slot));
                    into.copyFrom(slot);
                } else {
                    c.recv(left, into);
                    if (trace != null) trace.arrived();
                    if (forward) sends.add(c.sendAsync(right, into));
                }
            }
        }
        for (Future<?> f : sends) c.await(f);
        slots.awaitAll();
        if (trace != null) trace.end();
    }

    /**
     * Segments used in turn, each reused once the send from it is done (a peer's sends complete in
     * the order they were issued). Memory of the group's {@link Comm#scratch}, or of its
     * {@link Comm#heapScratch} for the single receive slot of the direct path.
     */
    private static final class Slots {
        private final Comm c;
        private final Buf mem;
        private final long seg;
        private final Future<?>[] sends;
        private int next;
        private int current;
        private final RingTrace trace;

        Slots(Comm c, DType dtype, long seg, int count, boolean heap, RingTrace trace) {
            this.c = c;
            this.trace = trace;
            this.mem = heap ? c.heapScratch(dtype, seg * count) : c.scratch(dtype, seg * count);
            this.seg = seg;
            this.sends = new Future<?>[count];
        }

        /** The next slot, {@code len} ≤ seg elements, once its previous send is done. */
        Buf take(long len) {
            current = next;
            next = (next + 1) % sends.length;
            if (sends[current] != null) {
                boolean waits = trace != null && !sends[current].isDone();
                long since = waits ? System.nanoTime() : 0;
                c.await(sends[current]);
                if (waits) trace.waitedForSlot(since);
                sends[current] = null;
            }
            return mem.slice(current * seg, len);
        }

        /** The slot last taken is being sent by {@code f}. */
        void sent(Future<?> f) {
            sends[current] = f;
        }

        void awaitAll() {
            for (Future<?> f : sends) if (f != null) c.await(f);
        }
    }
}
