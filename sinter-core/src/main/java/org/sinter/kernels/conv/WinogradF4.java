package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F(4x4, 3x3)'s transforms written out with their common subexpressions ({@link WinogradTransform#F4}'s
 * Bᵀ and Aᵀ): one 1-D pass of Bᵀ is 12 vector operations instead of the 22 its sparse rows take, one
 * pass of Aᵀ 10 instead of 18. Each method transforms six vectors of tiles read {@code stride} apart
 * and writes its results {@code dStride} apart; a 2-D transform is a pass down the columns, then one
 * along the rows. Also the 4-way interleave that turns four vectors (one per output column, a tile per
 * lane) into rows of whole tiles, so that a tile row of output is stored as vectors.
 */
final class WinogradF4 {
    private WinogradF4() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * {@code dst[dOff + i·dStride] = Σ_j Bᵀ[i][j] · src[base + j·stride]} for the six rows i, where
     * Bᵀ's rows are (4,0,-5,0,1,0), (0,-4,-4,1,1,0), (0,4,-4,-1,1,0), (0,-2,-1,2,1,0), (0,2,-1,-2,1,0), (0,4,0,-5,0,1).
     */
    static void inputPass(float[] src, int base, int stride, float[] dst, int dOff, int dStride) {
        FloatVector d0 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base)), d1 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + stride));
        FloatVector d2 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 2 * stride)), d3 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 3 * stride));
        FloatVector d4 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 4 * stride)), d5 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 5 * stride));
        d2.fma(FloatVector.broadcast(S, -5f), d4).add(d0.mul(4f)).intoArray(dst, dOff);
        FloatVector a = d2.fma(FloatVector.broadcast(S, -4f), d4), b = d1.fma(FloatVector.broadcast(S, -4f), d3);
        a.add(b).intoArray(dst, dOff + dStride);
        a.sub(b).intoArray(dst, dOff + 2 * dStride);
        FloatVector p = d4.sub(d2), e = d3.sub(d1);
        e.fma(FloatVector.broadcast(S, 2f), p).intoArray(dst, dOff + 3 * dStride);
        e.fma(FloatVector.broadcast(S, -2f), p).intoArray(dst, dOff + 4 * dStride);
        d3.fma(FloatVector.broadcast(S, -5f), d5).add(d1.mul(4f)).intoArray(dst, dOff + 5 * dStride);
    }

    /**
     * {@code dst[dOff + i·dStride] = Σ_j Aᵀ[i][j] · src[base + j·stride]} for the four rows i, where
     * Aᵀ's rows are (1,1,1,1,1,0), (0,1,-1,2,-2,0), (0,1,1,4,4,0), (0,1,-1,8,-8,1).
     */
    static void outputPass(float[] src, int base, int stride, float[] dst, int dOff, int dStride) {
        FloatVector m0 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base)), m1 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + stride));
        FloatVector m2 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 2 * stride)), m3 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 3 * stride));
        FloatVector m4 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 4 * stride)), m5 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + 5 * stride));
        FloatVector s12 = m1.add(m2), d12 = m1.sub(m2), s34 = m3.add(m4), d34 = m3.sub(m4);
        m0.add(s12).add(s34).intoArray(dst, dOff);
        d34.fma(FloatVector.broadcast(S, 2f), d12).intoArray(dst, dOff + dStride);
        s34.fma(FloatVector.broadcast(S, 4f), s12).intoArray(dst, dOff + 2 * dStride);
        d34.fma(FloatVector.broadcast(S, 8f), d12).add(m5).intoArray(dst, dOff + 3 * dStride);
    }

    /** Two-vector selections: lanes {@code [x0, y0, x1, y1, ...]} of the low halves of x and y, and of the high halves. */
    private static final FloatVector ZIP_LO = zip(0), ZIP_HI = zip(L / 2);

    private static FloatVector zip(int from) {
        float[] idx = new float[L];
        for (int p = 0; p < L / 2; p++) {
            idx[2 * p] = from + p;
            idx[2 * p + 1] = L + from + p;
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    /**
     * Interleaves four vectors {@code o[j]} (output column j of a tile per lane; {@code out[off + j·L ..]}) into {@code rows}:
     * {@code rows[q·L + 4u + j] = o[j][q·L/4 + u]}, so that each {@code L}-float block q holds the
     * whole rows of tiles {@code q·L/4 ..} in order, as they lie side by side in the output.
     */
    static void interleave(float[] out, int off, float[] rows) {
        FloatVector o0 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, off)), o1 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, off + L));
        FloatVector o2 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, off + 2 * L)), o3 = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, off + 3 * L));
        FloatVector a = ZIP_LO.selectFrom(o0, o2), b = ZIP_HI.selectFrom(o0, o2);
        FloatVector c = ZIP_LO.selectFrom(o1, o3), d = ZIP_HI.selectFrom(o1, o3);
        ZIP_LO.selectFrom(a, c).intoArray(rows, 0);
        ZIP_HI.selectFrom(a, c).intoArray(rows, L);
        ZIP_LO.selectFrom(b, d).intoArray(rows, 2 * L);
        ZIP_HI.selectFrom(b, d).intoArray(rows, 3 * L);
    }
}
