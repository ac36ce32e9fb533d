package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The products of Winograd convolution, {@code M[k][t] = Σ_c U[k][c] · V[c][t]} for one point of
 * the transformed tile, as a register-tiled kernel: {@link #ROWS} output channels by two vectors
 * of tiles accumulate over the input channels (one vector of tiles where a chunk has no more), with
 * V's rows read where the input transform wrote them (no packing) and U's weights packed once
 * ({@link #pack}) so that each step's {@link #ROWS} broadcasts are consecutive floats. The same
 * shape as a GEMM micro-kernel (12 accumulators, 2 loads and 6 broadcasts per 12 fused multiply-adds:
 * AVX2's 16 registers hold it), without the GEMM's small-matrix overheads: a chunk's products are
 * a few dozen to a few hundred tiles wide.
 */
final class WinogradProduct {
    private WinogradProduct() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per register tile. */
    static final int ROWS = 6;

    /** Output channels rounded up to whole register tiles: M's rows, and U's packed rows (the extra ones zero). */
    static int paddedRows(int k) {
        return Math.ceilDiv(k, ROWS) * ROWS;
    }

    /**
     * Packs {@code u[(ξ·K + k)·C + c]} (every point ξ) into {@code [ξ][k / ROWS][c][k % ROWS]}, rows
     * past K zero.
     */
    static float[] pack(float[] u, int points, int k, int c) {
        int kp = paddedRows(k);
        float[] packed = new float[Math.multiplyExact(points, kp * c)];
        for (int xi = 0; xi < points; xi++)
            for (int kk = 0; kk < k; kk++)
                for (int cc = 0; cc < c; cc++)
                    packed[xi * kp * c + (kk / ROWS * c + cc) * ROWS + kk % ROWS] = u[(xi * k + kk) * c + cc];
        return packed;
    }

    /**
     * {@code m[mOff + k·s + t] = Σ_c u[k][c] · v[vOff + c·s + t]} for every padded row k and
     * {@code t < width} (a multiple of the vector length), u packed for one point at {@code uOff}.
     * Each block of {@link #ROWS} output channels runs across all the tiles before the next, so its
     * {@code ROWS·C} weights stay in L1 and U is read from memory once per call of this method (a
     * 512-channel point is 1 MB: tiles outermost re-read it every two vectors of tiles), while the
     * point's V ({@code C x width}, sized by the caller to stay in L2) is re-read per block.
     */
    static void multiply(float[] u, int uOff, int kp, int c, float[] v, int vOff, int s, int width, float[] m, int mOff) {
        int pairs = width / (2 * L) * (2 * L);
        for (int kb = 0; kb < kp; kb += ROWS) {
            int ui = uOff + kb * c, mi = mOff + kb * s, t = 0;
            for (; t < pairs; t += 2 * L) tile2(u, ui, c, v, vOff + t, s, m, mi + t);
            if (t < width) tile1(u, ui, c, v, vOff + t, s, m, mi + t);
        }
    }

    /** {@link #ROWS} channels x two vectors of tiles. */
    private static void tile2(float[] u, int ui, int c, float[] v, int vi, int s, float[] m, int mi) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        for (int cc = 0; cc < c; cc++, vi += s, ui += ROWS) {
            FloatVector v0 = FloatVector.fromArray(S, v, vi), v1 = FloatVector.fromArray(S, v, vi + L);
            FloatVector b = FloatVector.broadcast(S, u[ui]);
            a00 = v0.fma(b, a00);
            a01 = v1.fma(b, a01);
            b = FloatVector.broadcast(S, u[ui + 1]);
            a10 = v0.fma(b, a10);
            a11 = v1.fma(b, a11);
            b = FloatVector.broadcast(S, u[ui + 2]);
            a20 = v0.fma(b, a20);
            a21 = v1.fma(b, a21);
            b = FloatVector.broadcast(S, u[ui + 3]);
            a30 = v0.fma(b, a30);
            a31 = v1.fma(b, a31);
            b = FloatVector.broadcast(S, u[ui + 4]);
            a40 = v0.fma(b, a40);
            a41 = v1.fma(b, a41);
            b = FloatVector.broadcast(S, u[ui + 5]);
            a50 = v0.fma(b, a50);
            a51 = v1.fma(b, a51);
        }
        ((FloatVector) FLOAT.cast(a00)).intoArray(m, mi);
        ((FloatVector) FLOAT.cast(a01)).intoArray(m, mi + L);
        ((FloatVector) FLOAT.cast(a10)).intoArray(m, mi + s);
        ((FloatVector) FLOAT.cast(a11)).intoArray(m, mi + s + L);
        ((FloatVector) FLOAT.cast(a20)).intoArray(m, mi + 2 * s);
        ((FloatVector) FLOAT.cast(a21)).intoArray(m, mi + 2 * s + L);
        ((FloatVector) FLOAT.cast(a30)).intoArray(m, mi + 3 * s);
        ((FloatVector) FLOAT.cast(a31)).intoArray(m, mi + 3 * s + L);
        ((FloatVector) FLOAT.cast(a40)).intoArray(m, mi + 4 * s);
        ((FloatVector) FLOAT.cast(a41)).intoArray(m, mi + 4 * s + L);
        ((FloatVector) FLOAT.cast(a50)).intoArray(m, mi + 5 * s);
        ((FloatVector) FLOAT.cast(a51)).intoArray(m, mi + 5 * s + L);
    }

    /** {@link #ROWS} channels x one vector of tiles (the last, odd vector of a chunk). */
    private static void tile1(float[] u, int ui, int c, float[] v, int vi, int s, float[] m, int mi) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        for (int cc = 0; cc < c; cc++, vi += s, ui += ROWS) {
            FloatVector v0 = FloatVector.fromArray(S, v, vi);
            a0 = v0.fma(FloatVector.broadcast(S, u[ui]), a0);
            a1 = v0.fma(FloatVector.broadcast(S, u[ui + 1]), a1);
            a2 = v0.fma(FloatVector.broadcast(S, u[ui + 2]), a2);
            a3 = v0.fma(FloatVector.broadcast(S, u[ui + 3]), a3);
            a4 = v0.fma(FloatVector.broadcast(S, u[ui + 4]), a4);
            a5 = v0.fma(FloatVector.broadcast(S, u[ui + 5]), a5);
        }
        ((FloatVector) FLOAT.cast(a0)).intoArray(m, mi);
        ((FloatVector) FLOAT.cast(a1)).intoArray(m, mi + s);
        ((FloatVector) FLOAT.cast(a2)).intoArray(m, mi + 2 * s);
        ((FloatVector) FLOAT.cast(a3)).intoArray(m, mi + 3 * s);
        ((FloatVector) FLOAT.cast(a4)).intoArray(m, mi + 4 * s);
        ((FloatVector) FLOAT.cast(a5)).intoArray(m, mi + 5 * s);
    }
}
