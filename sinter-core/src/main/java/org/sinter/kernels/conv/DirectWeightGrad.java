package org.sinter.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Lanes;
import org.sinter.kernels.Parallel;

/**
 * The weight gradient of a unit-stride float32 convolution without im2col or GEMM packing, for
 * layers whose weight is small next to their planes (LeNet's, the first layers of image models).
 *
 * <p>Each weight entry is one long dot product: {@code gw[k][t] = Σ_n Σ_p dy_n[k][p] · x_n[tap t
 * shifted to p]}. With the input planes laid out "wide" as in {@link DirectConv} (rows padded to
 * width {@code Wp}) and the output gradient spread onto the same row pitch (zeros in the
 * {@code Wp - ow} gap columns), tap t of channel c is the input stream starting at
 * {@code c·planeP + i·dh·Wp + j·dw}: every dot product is a unit-stride vector stream. A register
 * tile of {@link #RB} output channels by {@link #TB} taps shares each load, and the accumulators
 * run across all samples before one fixed-order lane sum, so no partial sums need combining and
 * the result does not depend on the thread count (threads split the tiles).
 *
 * <p>The gap columns multiply zeros of the spread gradient with real input values, so an infinite
 * input turns into NaN there (0·∞) where im2col would skip it; such an input already makes the
 * forward output and loss non-finite.
 */
final class DirectWeightGrad {
    private DirectWeightGrad() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Output channels per register tile. */
    static final int RB = 4;
    /** Taps per register tile. */
    static final int TB = 2;
    /**
     * Most output channels per group this path takes. Measured against im2col + GEMM, batch 64
     * (1 / 2 threads, ms): LeNet's 1→6 5x5 0.69 / 0.44 against 1.51 / 0.76, its 6→16 5x5 1.31 / 0.69
     * against 1.55 / 0.78; the Lab 1 CNN's 1→32 3x3 1.41 / 0.93 against 1.47 / 0.74 and its 32→64
     * 3x3 42 / 22 against 24 / 12: with many output channels the spread gradient outgrows the
     * caches, while the GEMM's tiles fill.
     */
    static final int MAX_GROUP_OUTPUTS = 16;
    /** Largest weight per group (kg·cg·kh·kw) this path takes. */
    static final int MAX_WEIGHT = 4096;

    static boolean applies(ConvGeometry g) {
        return g.sh() == 1 && g.sw() == 1 && g.oh() > 0 && g.ow() > 0 && g.kg() <= MAX_GROUP_OUTPUTS
                && (long) g.kg() * g.patch() <= MAX_WEIGHT;
    }

    /** {@code gw[k, c/groups, kh, kw] = Σ_n dy_n ⋆ x_n}; gw (dense, from 0) is overwritten. */
    static void weightGrad(ConvGeometry g, int n, float[] x, int xOff, float[] gy, int yOff, float[] gw) {
        int hp = g.oh() + (g.kh() - 1) * g.dh(), wp = g.ow() + (g.kw() - 1) * g.dw();
        int planeP = hp * wp, wide = (g.oh() - 1) * wp + g.ow();
        int c = g.c(), k = g.k(), cg = g.cg(), kg = g.kg(), patch = g.patch(), oh = g.oh(), ow = g.ow();
        boolean padded = hp != g.h() || wp != g.w() || g.ph() != 0 || g.pw() != 0;
        // Inputs on the wide pitch (the tensor itself when it already is), gradients spread onto it.
        float[] xp = padded ? new float[n * c * planeP] : x;
        int xpOff = padded ? 0 : xOff;
        float[] gyw = new float[n * k * wide];
        Parallel.forRange(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                if (padded) DirectConv.padPlanes(g, c, x, xOff + i * c * g.inPlane(), xp, i * c * planeP, hp, wp);
                for (int kk = 0; kk < k; kk++) {
                    int from = yOff + (i * k + kk) * oh * ow, to = (i * k + kk) * wide;
                    for (int r = 0; r < oh; r++) System.arraycopy(gy, from + r * ow, gyw, to + r * wp, ow);
                }
            }
        });
        int[] tapOff = new int[patch];
        for (int ch = 0, t = 0; ch < cg; ch++)
            for (int i = 0; i < g.kh(); i++)
                for (int j = 0; j < g.kw(); j++, t++) tapOff[t] = ch * planeP + i * g.dh() * wp + j * g.dw();
        int rowTiles = (kg + RB - 1) / RB, tapTiles = (patch + TB - 1) / TB, perGroup = rowTiles * tapTiles;
        Parallel.forRange(g.groups() * perGroup, 1, (s, e) -> {
            float[] sums = new float[RB * TB];
            int[] yRow = new int[RB], xTap = new int[TB];
            for (int tile = s; tile < e; tile++) {
                int gr = tile / perGroup, rt = (tile % perGroup) / tapTiles, tt = tile % tapTiles;
                int k0 = rt * RB, t0 = tt * TB;
                int rows = Math.min(RB, kg - k0), taps = Math.min(TB, patch - t0);
                // Short edge tiles repeat their last row or tap (computed, not stored).
                for (int r = 0; r < RB; r++) yRow[r] = (gr * kg + k0 + Math.min(r, rows - 1)) * wide;
                for (int q = 0; q < TB; q++) xTap[q] = xpOff + gr * cg * planeP + tapOff[t0 + Math.min(q, taps - 1)];
                tile(n, wide, k * wide, c * planeP, gyw, yRow, xp, xTap, sums);
                for (int r = 0; r < rows; r++)
                    for (int q = 0; q < taps; q++) gw[(gr * kg + k0 + r) * patch + t0 + q] = sums[r * TB + q];
            }
        });
    }

    /**
     * sums[r][q] = Σ_samples Σ_{p < wide} gyw[yRow[r] + p] · xp[xTap[q] + p], with the rows and taps
     * advancing by {@code yStride} and {@code xStride} per sample.
     */
    private static void tile(int n, int wide, int yStride, int xStride, float[] gyw, int[] yRow, float[] xp, int[] xTap, float[] sums) {
        int vl = S.length(), bound = S.loopBound(wide);
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        VectorMask<Float> tail = S.indexInRange(bound, wide);
        for (int i = 0; i < n; i++) {
            int y0 = yRow[0] + i * yStride, y1 = yRow[1] + i * yStride, y2 = yRow[2] + i * yStride, y3 = yRow[3] + i * yStride;
            int x0 = xTap[0] + i * xStride, x1 = xTap[1] + i * xStride;
            for (int p = 0; p < bound; p += vl) {
                FloatVector b0 = FloatVector.fromArray(S, xp, x0 + p), b1 = FloatVector.fromArray(S, xp, x1 + p);
                FloatVector v = FloatVector.fromArray(S, gyw, y0 + p);
                a00 = v.fma(b0, a00);
                a01 = v.fma(b1, a01);
                v = FloatVector.fromArray(S, gyw, y1 + p);
                a10 = v.fma(b0, a10);
                a11 = v.fma(b1, a11);
                v = FloatVector.fromArray(S, gyw, y2 + p);
                a20 = v.fma(b0, a20);
                a21 = v.fma(b1, a21);
                v = FloatVector.fromArray(S, gyw, y3 + p);
                a30 = v.fma(b0, a30);
                a31 = v.fma(b1, a31);
            }
            if (bound < wide) {
                FloatVector b0 = FloatVector.fromArray(S, xp, x0 + bound, tail), b1 = FloatVector.fromArray(S, xp, x1 + bound, tail);
                FloatVector v = FloatVector.fromArray(S, gyw, y0 + bound, tail);
                a00 = v.fma(b0, a00);
                a01 = v.fma(b1, a01);
                v = FloatVector.fromArray(S, gyw, y1 + bound, tail);
                a10 = v.fma(b0, a10);
                a11 = v.fma(b1, a11);
                v = FloatVector.fromArray(S, gyw, y2 + bound, tail);
                a20 = v.fma(b0, a20);
                a21 = v.fma(b1, a21);
                v = FloatVector.fromArray(S, gyw, y3 + bound, tail);
                a30 = v.fma(b0, a30);
                a31 = v.fma(b1, a31);
            }
        }
        sums[0] = Lanes.sum(a00);
        sums[1] = Lanes.sum(a01);
        sums[2] = Lanes.sum(a10);
        sums[3] = Lanes.sum(a11);
        sums[4] = Lanes.sum(a20);
        sums[5] = Lanes.sum(a21);
        sums[6] = Lanes.sum(a30);
        sums[7] = Lanes.sum(a31);
    }
}
