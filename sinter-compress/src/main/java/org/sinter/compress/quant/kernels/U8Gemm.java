package org.sinter.compress.quant.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * The integer core of the int8 kernels: {@code R[i][j] = sum_k S[i][k] * V[k][j]} exactly in int32,
 * for 8-bit operands that are all shifted to be unsigned (an s8 weight {@code w} enters as
 * {@code w + 128}; the shift is undone by the caller's zero-point correction).
 *
 * <p>The JDK 25 Vector API has no VNNI / {@code vpmaddubsw} intrinsic, so the widening
 * multiply-add is built from 16-bit lanes: each {@code V} row is held as shorts, a product of two
 * unsigned bytes fits an unsigned 16-bit lane (255 * 255 = 65025), and so does the sum of two
 * products when one side stays below 128 (the reduced activation range PyTorch also uses for x86):
 * then two k-steps share one 16-bit multiply-add. The 16-bit lanes are summed into int32 without
 * any lane shuffle: seen as an int lane, a pair of 16-bit lanes is {@code hi * 65536 + lo}, so
 * accumulating the int lanes and, separately, {@code lane >>> 16} recovers both columns exactly
 * (the low halves' sum is the difference; K is processed in chunks so it cannot wrap).
 */
public final class U8Gemm {
    static final VectorSpecies<Short> S16 = ShortVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> S32 = IntVector.SPECIES_PREFERRED;
    /** Columns per panel: the short lanes of one vector. */
    public static final int LANES = S16.length();
    /** k-steps per chunk: the low 16-bit halves sum to at most 65535 per step and must stay below 2^31. */
    static final int K_CHUNK = 16384;

    private U8Gemm() {}

    /**
     * Computes {@code R} for rows {@code [0, m)} of {@code S} and all {@code panels * LANES} columns of
     * {@code V}.
     *
     * @param s row-major {@code [m, k]} unsigned bytes, row stride {@code k}
     * @param v panel-major shorts: panel {@code p} holds {@code [k][LANES]} at {@code p * k * LANES}
     * @param pairs true when two products always fit 16 bits ({@code maxS * maxV * 2 <= 65535})
     * @param r row-major {@code [m, panels * LANES]} int32 output (overwritten)
     */
    public static void gemm(byte[] s, int sOffset, int m, int k, short[] v, int vOffset, int panels, boolean pairs, int[] r, int rOffset) {
        int ldr = panels * LANES;
        int rowBlocks = (m + 3) / 4;
        int work = rowBlocks * panels;
        long macs = (long) m * k * ldr;
        Parallel.RangeBody body = (from, to) -> {
            int[] tile = new int[4 * LANES], scratch = new int[LANES];
            for (int w = from; w < to; w++) {
                int p = w % panels, rb = w / panels, i0 = rb * 4, rows = Math.min(4, m - i0);
                java.util.Arrays.fill(tile, 0);
                for (int k0 = 0; k0 < k; k0 += K_CHUNK) {
                    int k1 = Math.min(k, k0 + K_CHUNK);
                    if (rows == 4) block4(s, sOffset + i0 * k, k, v, vOffset + p * k * LANES, k0, k1, pairs, tile, scratch);
                    else for (int i = 0; i < rows; i++) block1(s, sOffset + (i0 + i) * k, v, vOffset + p * k * LANES, k0, k1, pairs, tile, i * LANES, scratch);
                }
                for (int i = 0; i < rows; i++) System.arraycopy(tile, i * LANES, r, rOffset + (i0 + i) * ldr + p * LANES, LANES);
            }
        };
        // Work items of a few thousand MACs (LeNet's 6-channel conv) are grouped so that each piece a
        // thread takes is worth the hand-off (about 256K MACs).
        long perItem = Math.max(1, macs / work);
        int grain = (int) Math.max(1, Math.min(work, (1 << 18) / perItem));
        if (macs < 1 << 17) body.run(0, work);
        else Parallel.forRange(work, grain, body);
    }

    /** Adds the exact sums of a split accumulator pair into {@code tile}: low halves at even columns, high at odd. */
    private static void flush(IntVector all, IntVector hi, int[] tile, int at, int[] scratch) {
        int n = S32.length();
        all.sub(hi.lanewise(VectorOperators.LSHL, 16)).intoArray(scratch, 0);
        hi.intoArray(scratch, n);
        for (int l = 0; l < n; l++) {
            tile[at + 2 * l] += scratch[l];
            tile[at + 2 * l + 1] += scratch[n + l];
        }
    }

    private static void block4(byte[] s, int sRow, int ld, short[] v, int vBase, int k0, int k1, boolean pairs, int[] tile, int[] scratch) {
        IntVector a0 = IntVector.zero(S32), h0 = a0, a1 = a0, h1 = a0, a2 = a0, h2 = a0, a3 = a0, h3 = a0;
        int r0 = sRow, r1 = sRow + ld, r2 = sRow + 2 * ld, r3 = sRow + 3 * ld;
        int k = k0;
        if (pairs) {
            for (; k + 1 < k1; k += 2) {
                ShortVector b0 = ShortVector.fromArray(S16, v, vBase + k * LANES);
                ShortVector b1 = ShortVector.fromArray(S16, v, vBase + (k + 1) * LANES);
                IntVector p;
                p = b0.mul((short) (s[r0 + k] & 0xFF)).add(b1.mul((short) (s[r0 + k + 1] & 0xFF))).reinterpretAsInts();
                a0 = a0.add(p);
                h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
                p = b0.mul((short) (s[r1 + k] & 0xFF)).add(b1.mul((short) (s[r1 + k + 1] & 0xFF))).reinterpretAsInts();
                a1 = a1.add(p);
                h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
                p = b0.mul((short) (s[r2 + k] & 0xFF)).add(b1.mul((short) (s[r2 + k + 1] & 0xFF))).reinterpretAsInts();
                a2 = a2.add(p);
                h2 = h2.add(p.lanewise(VectorOperators.LSHR, 16));
                p = b0.mul((short) (s[r3 + k] & 0xFF)).add(b1.mul((short) (s[r3 + k + 1] & 0xFF))).reinterpretAsInts();
                a3 = a3.add(p);
                h3 = h3.add(p.lanewise(VectorOperators.LSHR, 16));
            }
        }
        for (; k < k1; k++) {
            ShortVector b0 = ShortVector.fromArray(S16, v, vBase + k * LANES);
            IntVector p;
            p = b0.mul((short) (s[r0 + k] & 0xFF)).reinterpretAsInts();
            a0 = a0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = b0.mul((short) (s[r1 + k] & 0xFF)).reinterpretAsInts();
            a1 = a1.add(p);
            h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
            p = b0.mul((short) (s[r2 + k] & 0xFF)).reinterpretAsInts();
            a2 = a2.add(p);
            h2 = h2.add(p.lanewise(VectorOperators.LSHR, 16));
            p = b0.mul((short) (s[r3 + k] & 0xFF)).reinterpretAsInts();
            a3 = a3.add(p);
            h3 = h3.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        flush(a0, h0, tile, 0, scratch);
        flush(a1, h1, tile, LANES, scratch);
        flush(a2, h2, tile, 2 * LANES, scratch);
        flush(a3, h3, tile, 3 * LANES, scratch);
    }

    private static void block1(byte[] s, int sRow, short[] v, int vBase, int k0, int k1, boolean pairs, int[] tile, int at, int[] scratch) {
        IntVector a0 = IntVector.zero(S32), h0 = a0, a1 = a0, h1 = a0;
        int k = k0;
        if (pairs) {
            // Two independent accumulator pairs (k-steps 0-1 and 2-3) hide the add latency.
            for (; k + 3 < k1; k += 4) {
                IntVector p = ShortVector.fromArray(S16, v, vBase + k * LANES).mul((short) (s[sRow + k] & 0xFF))
                        .add(ShortVector.fromArray(S16, v, vBase + (k + 1) * LANES).mul((short) (s[sRow + k + 1] & 0xFF))).reinterpretAsInts();
                a0 = a0.add(p);
                h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
                IntVector q = ShortVector.fromArray(S16, v, vBase + (k + 2) * LANES).mul((short) (s[sRow + k + 2] & 0xFF))
                        .add(ShortVector.fromArray(S16, v, vBase + (k + 3) * LANES).mul((short) (s[sRow + k + 3] & 0xFF))).reinterpretAsInts();
                a1 = a1.add(q);
                h1 = h1.add(q.lanewise(VectorOperators.LSHR, 16));
            }
        }
        for (; k < k1; k++) {
            IntVector p = ShortVector.fromArray(S16, v, vBase + k * LANES).mul((short) (s[sRow + k] & 0xFF)).reinterpretAsInts();
            a0 = a0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        flush(a0.add(a1), h0.add(h1), tile, at, scratch);
    }
}
