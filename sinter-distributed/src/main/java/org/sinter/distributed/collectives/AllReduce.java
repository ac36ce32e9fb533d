package org.sinter.distributed.collectives;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.sinter.distributed.ReduceOp;

/**
 * All-reduce algorithms (course 6.3). For n ranks and S bytes: RING moves 2(n−1)/n·S per link in
 * 2(n−1) steps (bandwidth-optimal); RECURSIVE_DOUBLING moves S·log2 n in log2 n steps
 * (latency-optimal for small buffers); TREE reduces up a binomial tree and broadcasts down it;
 * REDUCE_SCATTER_ALL_GATHER exchanges blocks with every peer directly (two steps, n − 1
 * connections busy at once); NAIVE gathers everything on rank 0 and sends the sum back (rank 0's
 * link carries 2(n−1)·S), the baseline the others are measured against. Every algorithm leaves
 * the same bits on every rank.
 */
public enum AllReduce {
    RING, RECURSIVE_DOUBLING, TREE, REDUCE_SCATTER_ALL_GATHER, NAIVE;

    /** Reduces {@code buf} in place across the group (AVG is finished by the caller). */
    public void run(Comm c, Buf buf, ReduceOp op) {
        if (c.size() == 1 || buf.count() == 0 && this != NAIVE) return;
        switch (this) {
            case RING -> Ring.allReducePipelined(c, buf, op);
            case RECURSIVE_DOUBLING -> recursiveDoubling(c, buf, op);
            case TREE -> {
                Tree.reduce(c, buf, buf, 0, op);
                Tree.broadcast(c, buf, 0);
            }
            case REDUCE_SCATTER_ALL_GATHER -> direct(c, buf, op);
            case NAIVE -> naive(c, buf, op);
        }
    }

    /**
     * Pairwise exchanges with partner {@code rank ^ mask}. With n not a power of two, the first
     * n − p ranks (p the largest power of two ≤ n) first absorb the buffers of the last n − p, and
     * hand them the result at the end.
     */
    private static void recursiveDoubling(Comm c, Buf buf, ReduceOp op) {
        int n = c.size(), r = c.rank();
        int p = Integer.highestOneBit(n);
        int extra = n - p;
        Buf tmp = Buf.scratch(buf.dtype(), buf.count());
        if (r >= p) {
            c.send(r - p, buf);
            c.recv(r - p, buf);
            return;
        }
        if (r < extra) {
            c.recv(r + p, tmp);
            Reduction.combine(op, buf, tmp);
        }
        for (int mask = 1; mask < p; mask <<= 1) {
            int partner = r ^ mask;
            c.sendRecv(partner, buf, partner, tmp);
            Reduction.combine(op, buf, tmp);
        }
        if (r < extra) c.send(r + p, buf);
    }

    /** Block j goes to rank j, which reduces it in rank order; then every rank sends its block to all. */
    private static void direct(Comm c, Buf buf, ReduceOp op) {
        int n = c.size(), r = c.rank();
        long[] counts = Ring.evenCounts(buf.count(), n);
        long[] off = Ring.offsets(counts);
        List<Future<?>> sends = new ArrayList<>();
        for (int j = 0; j < n; j++) if (j != r) sends.add(c.sendAsync(j, buf.slice(off[j], counts[j])));
        Buf mine = buf.slice(off[r], counts[r]);
        Buf[] got = new Buf[n];
        for (int j = 0; j < n; j++) {
            if (j == r) continue;
            got[j] = Buf.scratch(buf.dtype(), counts[r]);
            c.recv(j, got[j]);
        }
        for (Future<?> f : sends) c.await(f);
        // Rank order, so the result does not depend on which message arrived first.
        Buf acc = Buf.scratch(buf.dtype(), counts[r]);
        acc.copyFrom(r == 0 ? mine : got[0]);
        for (int j = 1; j < n; j++) Reduction.combine(op, acc, j == r ? mine : got[j]);
        mine.copyFrom(acc);
        sends.clear();
        for (int j = 0; j < n; j++) if (j != r) sends.add(c.sendAsync(j, mine));
        for (int j = 0; j < n; j++) if (j != r) c.recv(j, buf.slice(off[j], counts[j]));
        for (Future<?> f : sends) c.await(f);
    }

    private static void naive(Comm c, Buf buf, ReduceOp op) {
        int n = c.size();
        if (c.rank() != 0) {
            c.send(0, buf);
            c.recv(0, buf);
            return;
        }
        Buf tmp = Buf.scratch(buf.dtype(), buf.count());
        for (int j = 1; j < n; j++) {
            c.recv(j, tmp);
            Reduction.combine(op, buf, tmp);
        }
        for (int j = 1; j < n; j++) c.send(j, buf);
    }
}
