package org.sinter.kernels.gemm;

import static org.sinter.kernels.gemm.SgemmKernel.MR;
import static org.sinter.kernels.gemm.SgemmKernel.NR;
import static org.sinter.kernels.gemm.SgemmKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * Packs blocks of op(A) and op(B) into the layouts the micro-kernel streams: A as micro-panels of
 * {@code MR} rows stored k-major (MR consecutive values per k step), B as micro-panels of {@code NR}
 * columns stored k-major. Panels past the matrix edge are zero-padded, so the kernel always runs a
 * full tile; alpha is folded into A here, where it costs one multiply per packed element.
 */
final class SgemmPack {
    private SgemmPack() {}

    /**
     * Packs rows [i0, i0+mc) x depth [p0, p0+kc) of alpha*op(A) into {@code dst} from {@code dOff}:
     * the micro-panel of rows i0+ir starts at {@code dOff + ir*kc}.
     */
    static void packA(boolean trans, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float alpha, float[] dst, int dOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), d = dOff + ir * kc;
            if (!trans) {
                int base = aOff + (i0 + ir) * lda + p0;
                if (rows == MR) {
                    int r0 = base, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
                    for (int p = 0; p < kc; p++, d += MR) {
                        dst[d] = alpha * a[r0 + p];
                        dst[d + 1] = alpha * a[r1 + p];
                        dst[d + 2] = alpha * a[r2 + p];
                        dst[d + 3] = alpha * a[r3 + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += MR) {
                        for (int r = 0; r < MR; r++) dst[d + r] = r < rows ? alpha * a[base + r * lda + p] : 0f;
                    }
                }
            } else {
                // op(A)[i][p] = a[p*lda + i]: each k step reads MR contiguous values.
                int base = aOff + p0 * lda + i0 + ir;
                for (int p = 0; p < kc; p++, d += MR, base += lda) {
                    for (int r = 0; r < MR; r++) dst[d + r] = r < rows ? alpha * a[base + r] : 0f;
                }
            }
        }
    }

    /**
     * Packs depth [p0, p0+kc) x columns [j0, j0+nc) of op(B) into {@code dst} from {@code dOff}: the
     * micro-panel of columns j0+jr starts at {@code dOff + jr*kc}.
     */
    static void packB(boolean trans, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] dst, int dOff) {
        if (!trans) {
            // Row by row: each source row is read once, front to back (what the prefetchers follow
            // best), and its 16-float pieces go to the micro-panels.
            int full = nc - nc % NR;
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0, d = dOff + p * NR;
                for (int jr = 0; jr < full; jr += NR) {
                    FloatVector.fromArray(S, b, src + jr).intoArray(dst, d + jr * kc);
                    FloatVector.fromArray(S, b, src + jr + 8).intoArray(dst, d + jr * kc + 8);
                }
                if (full < nc) {
                    int w = nc - full, dd = d + full * kc;
                    for (int j = 0; j < NR; j++) dst[dd + j] = j < w ? b[src + full + j] : 0f;
                }
            }
            return;
        }
        // op(B)[p][j] = b[j*ldb + p]: walk each source row (contiguous in p), scatter by NR.
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), d = dOff + jr * kc, src = bOff + (j0 + jr) * ldb + p0;
            for (int j = 0; j < NR; j++) {
                if (j < cols) {
                    int s = src + j * ldb;
                    for (int p = 0; p < kc; p++) dst[d + p * NR + j] = b[s + p];
                } else {
                    for (int p = 0; p < kc; p++) dst[d + p * NR + j] = 0f;
                }
            }
        }
    }
}
