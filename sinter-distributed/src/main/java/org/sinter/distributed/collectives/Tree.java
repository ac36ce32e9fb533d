package org.sinter.distributed.collectives;

import org.sinter.distributed.ReduceOp;

/**
 * Binomial trees rooted at any rank: broadcast and reduce in ⌈log2 n⌉ rounds, each rank sending
 * or receiving whole buffers. Latency-optimal; the root's links carry log2 n copies.
 */
public final class Tree {
    private Tree() {}

    /** Copies the root's buffer into every rank's. */
    public static void broadcast(Comm c, Buf buf, int root) {
        int n = c.size();
        if (n == 1) return;
        int vr = Math.floorMod(c.rank() - root, n);
        int mask = 1;
        while (mask < n) {
            if ((vr & mask) != 0) {
                c.recv(abs(vr - mask, root, n), buf);
                break;
            }
            mask <<= 1;
        }
        mask >>= 1;
        while (mask > 0) {
            if (vr + mask < n) c.send(abs(vr + mask, root, n), buf);
            mask >>= 1;
        }
    }

    /**
     * Reduces every rank's {@code input} into {@code result} on the root. {@code result} may be
     * {@code input} on the root; elsewhere it is scratch (its content afterwards is unspecified).
     */
    public static void reduce(Comm c, Buf input, Buf result, int root) {
        reduce(c, input, result, root, ReduceOp.SUM);
    }

    public static void reduce(Comm c, Buf input, Buf acc, int root, ReduceOp op) {
        int n = c.size();
        if (acc != input) acc.copyFrom(input);
        if (n == 1) return;
        int vr = Math.floorMod(c.rank() - root, n);
        Buf tmp = null;
        for (int mask = 1; mask < n; mask <<= 1) {
            if ((vr & mask) != 0) {
                c.send(abs(vr - mask, root, n), acc);
                return;
            }
            if (vr + mask < n) {
                if (tmp == null) tmp = Buf.scratch(acc.dtype(), acc.count());
                c.recv(abs(vr + mask, root, n), tmp);
                Reduction.combine(op, acc, tmp);
            }
        }
    }

    private static int abs(int virtualRank, int root, int n) {
        return (virtualRank + root) % n;
    }
}
