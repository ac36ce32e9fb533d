package org.sinter.distributed.collectives;

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
     */
    static final long SEGMENT_BYTES = Math.max(1, Long.getLong("sinter.ring.segmentBytes", 1 << 20));

    /**
     * Ring all-reduce with each block cut into segments that are forwarded as soon as they are
     * reduced (reduce-scatter) or received (all-gather), so a rank never waits for a whole block
     * before passing it on and the links stay busy: the schedule of gloo's and NCCL's rings.
     * The bytes each link carries are the same 2(n−1)/n of the buffer.
     */
    public static void allReducePipelined(Comm c, Buf buf, ReduceOp op) {
        int n = c.size(), r = c.rank();
        if (n == 1 || buf.count() == 0) return;
        long[] counts = evenCounts(buf.count(), n);
        long[] off = offsets(counts);
        long seg = Math.max(1, SEGMENT_BYTES / buf.dtype().itemSize());
        int right = (r + 1) % n, left = (r - 1 + n) % n;
        java.util.List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
        Buf tmp = Buf.scratch(buf.dtype(), Math.min(seg, counts[0]));
        int first = Math.floorMod(r - 1, n);
        sends.add(c.sendAsync(right, buf.slice(off[first], counts[first])));
        // Reduce-scatter: the block reduced at step k is the one sent at step k + 1; the last one
        // (block r, now complete) is the first block of the all-gather.
        for (int step = 0; step < n - 1; step++) {
            int b = Math.floorMod(r - step - 2, n);
            for (long s = 0; s < counts[b]; s += seg) {
                long len = Math.min(seg, counts[b] - s);
                Buf in = tmp.slice(0, len);
                c.recv(left, in);
                Buf mine = buf.slice(off[b] + s, len);
                Reduction.combine(op, mine, in);
                sends.add(c.sendAsync(right, mine));
            }
        }
        // All-gather: forward each received segment unless the right neighbour already has it.
        for (int step = 0; step < n - 1; step++) {
            int b = Math.floorMod(r - step - 1, n);
            for (long s = 0; s < counts[b]; s += seg) {
                long len = Math.min(seg, counts[b] - s);
                Buf into = buf.slice(off[b] + s, len);
                c.recv(left, into);
                if (step < n - 2) sends.add(c.sendAsync(right, into));
            }
        }
        for (java.util.concurrent.Future<?> f : sends) c.await(f);
    }
}
