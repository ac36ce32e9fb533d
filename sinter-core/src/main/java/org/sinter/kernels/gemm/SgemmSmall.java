package org.sinter.kernels.gemm;


import jdk.incubator.vector.FloatVector;
import org.sinter.kernels.Lanes;
import org.sinter.kernels.Parallel;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products too small or too thin to pay for packing and threads. A matrix-vector product (m or n
 * is 1) is memory-bound and reads each matrix element once, so it streams the matrix with
 * vectorized dot or axpy loops. A small product with untransposed B runs a 4x16 register tile that
 * reads A and B where they lie (B rows are contiguous; the whole of B is cache-resident at these
 * sizes, so the cache-set conflicts that packing avoids for large strided panels do not arise).
 */
final class SgemmSmall {
    /** At most this many multiply-adds use the unpacked tile path (64^3: B and A fit in L1/L2). */
    static final long DIRECT_MAX_FMAS = Long.getLong("sinter.sgemm.directmax", 1L << 18);
    private static final VectorSpecies<Float> S = MicroKernel.SPECIES_F32;
    /** S's vector class, for the exact-class casts (org.sinter.kernels.ExactVectors). */
    private static final Class<?> VECTOR = S.vectorType();
    private static final int L = S.length();

    private SgemmSmall() {}

    /** Per-thread buffers: a packed copy of a strided vector, and a tile of B's last columns. */
    private static final class Workspace {
        float[] x = new float[0], bTail = new float[0];
        final float[] scratch = new float[MicroKernel.MR * MicroKernel.NR_F32];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Largest product (multiply-adds) the thin-operand paths below take: beyond it, two threads win. */
    static final long THIN_MAX_FMAS = 1L << 22;

    /**
     * True when this class computes the product (m, n, k > 0): matrix-vector products; small ones
     * with untransposed B; and, up to {@link #THIN_MAX_FMAS}, products with a thin operand, where
     * packing would cost as much as the arithmetic: few rows or a short depth with untransposed B
     * (a linear layer's input and weight gradients with ten outputs), or few rows or columns with
     * transposed B (its forward: every entry one dot product of two contiguous rows).
     */
    static boolean handles(boolean transA, boolean transB, int m, int n, int k) {
        if (m == 1 || n == 1) return true;
        long fmas = (long) m * n * k;
        if (!transB) return fmas <= DIRECT_MAX_FMAS || fmas <= THIN_MAX_FMAS && (m <= 16 || k <= 32);
        return !transA && fmas <= THIN_MAX_FMAS && (m <= 16 || n <= 16) && k >= 2 * L;
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m == 1) {
            // c[0, j] = sum_p opA[0, p] * opB[p, j]; opA row 0 has stride lda when A is stored k x 1.
            int xs = transA ? lda : 1;
            if (transB) {
                sharedDotRows(n, k, b, bOff, ldb, a, aOff, xs, alpha, beta, c, cOff);
            } else {
                // Depth slice by slice, as the blocked driver sums (each slice one FMA chain, then
                // added to C): a pre-packed B's kernels repeat these bits (see SgemmPackedSmall).
                int kc0 = SgemmBlocked.depthSlice(k);
                for (int pc = 0; pc < k; pc += kc0)
                    streamingAxpyRows(n, Math.min(kc0, k - pc), b, bOff + pc * ldb, ldb, a, aOff + pc * xs, xs, alpha, pc == 0 ? beta : 1f, c, cOff);
            }
        } else if (n == 1) {
            // c[i, 0] = sum_p opA[i, p] * opB[p, 0]; opB column 0 has stride ldb unless B is stored 1 x k.
            int xs = transB ? 1 : ldb;
            if (transA) axpyRows(m, k, a, aOff, lda, b, bOff, xs, alpha, beta, c, cOff, ldc);
            else dotRows(m, k, a, aOff, lda, b, bOff, xs, alpha, beta, c, cOff, ldc);
        } else if (transB) {
            if (transA) throw new IllegalArgumentException("sgemm small path: both operands transposed is not a small-path product");
            dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            direct(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * A row-major, B stored n x k (transposed): C[i][j] = alpha * A[i]·B[j] + beta*C[i][j]. A 4x2
     * tile of vector accumulators shares each load of 4 A rows and 2 B rows along k; partial tiles
     * repeat a valid row or column and discard its results.
     */
    private static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        // Row tiles are independent (each C entry is one dot product either way): a product big
        // enough to pay for a hand-off (a linear layer's few-output head over a batch) shares them.
        int tiles = (m + 3) / 4;
        if ((long) m * n * k >= DOTS_PARALLEL_FMAS && tiles >= 2) {
            Parallel.forRange(tiles, 1, (s, e) -> dots(4 * s, Math.min(m, 4 * e), n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
        } else {
            dots(0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * A vector times a matrix stored one output per row (a linear layer's forward on one sample:
     * ResNet-18's 512 -> 1000 classifier, 2 MB of weights that come from memory, not cache, after
     * the convolutions): from {@link #DOTS_PARALLEL_FMAS} on, the threads take blocks of four rows
     * each, so more than one core streams the matrix. Each entry is still one dot product in the
     * same order: the bits are the one-thread result's.
     */
    private static void sharedDotRows(int n, int k, float[] mat, int mOff, int ldm, float[] x, int xOff, int xs,
                                      float alpha, float beta, float[] y, int yOff) {
        int tiles = (n + 3) / 4;
        if ((long) n * k < DOTS_PARALLEL_FMAS || tiles < 2) {
            dotRows(n, k, mat, mOff, ldm, x, xOff, xs, alpha, beta, y, yOff, 1);
            return;
        }
        Parallel.forRange(tiles, 1, (s, e) -> {
            int r0 = 4 * s, r1 = Math.min(n, 4 * e);
            dotRows(r1 - r0, k, mat, mOff + r0 * ldm, ldm, x, xOff, xs, alpha, beta, y, yOff + r0, 1);
        });
    }

    /** Multiply-adds from which {@link #dots} and {@link #sharedDotRows} split their rows between threads. */
    private static final long DOTS_PARALLEL_FMAS = 1L << 18;

    // The butterfly's constants (8-lane vectors): swap lanes 4 apart, 2 apart, 1 apart; the lanes
    // taken from the second vector of a pair; the butterfly leaves sum r in lane bitreverse(r).
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromValues(S, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromValues(S, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> BUTTERFLY_ORDER = VectorShuffle.fromValues(S, 0, 4, 2, 6, 1, 5, 3, 7);
    private static final VectorMask<Float> HALF4 = VectorMask.fromValues(S, false, false, false, false, true, true, true, true);
    private static final VectorMask<Float> HALF2 = VectorMask.fromValues(S, false, false, true, true, false, false, true, true);
    private static final VectorMask<Float> HALF1 = VectorMask.fromValues(S, false, true, false, true, false, true, false, true);

    /** Rows [i0, m) of {@link #dots} (i0 a multiple of 4). */
    private static void dots(int i0, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int kv = k - k % L;
        float[] t = new float[8];
        for (int i = i0; i < m; i += 4) {
            int mr = Math.min(4, m - i);
            int a0 = aOff + i * lda, a1 = a0 + Math.min(1, mr - 1) * lda, a2 = a0 + Math.min(2, mr - 1) * lda, a3 = a0 + Math.min(3, mr - 1) * lda;
            for (int j = 0; j < n; j += 2) {
                int nr = Math.min(2, n - j);
                int b0 = bOff + j * ldb, b1 = b0 + Math.min(1, nr - 1) * ldb;
                // Each accumulator from its own zero: one zero shared by all eight let C2 keep them boxed
                // in some compiles (seen in SgemmPackedSmall's first kernels: 40x slower).
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
                FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    FloatVector x0 = FloatVector.fromArray(S, b, b0 + p), x1 = FloatVector.fromArray(S, b, b1 + p);
                    FloatVector v = FloatVector.fromArray(S, a, a0 + p);
                    s00 = v.fma(x0, s00);
                    s01 = v.fma(x1, s01);
                    v = FloatVector.fromArray(S, a, a1 + p);
                    s10 = v.fma(x0, s10);
                    s11 = v.fma(x1, s11);
                    v = FloatVector.fromArray(S, a, a2 + p);
                    s20 = v.fma(x0, s20);
                    s21 = v.fma(x1, s21);
                    v = FloatVector.fromArray(S, a, a3 + p);
                    s30 = v.fma(x0, s30);
                    s31 = v.fma(x1, s31);
                }
                // The eight lane sums at once, each in Lanes.sum's order (lane i with i+4, then i+2,
                // then i+1): a butterfly that pairs vectors at every level (3 adds per level for all
                // eight instead of 3 rearranges, 3 adds and an extraction per vector).
                FloatVector u0 = s00.rearrange(SWAP4).blend(s01.rearrange(SWAP4), HALF4).add(s00.blend(s01, HALF4));
                FloatVector u1 = s10.rearrange(SWAP4).blend(s11.rearrange(SWAP4), HALF4).add(s10.blend(s11, HALF4));
                FloatVector u2 = s20.rearrange(SWAP4).blend(s21.rearrange(SWAP4), HALF4).add(s20.blend(s21, HALF4));
                FloatVector u3 = s30.rearrange(SWAP4).blend(s31.rearrange(SWAP4), HALF4).add(s30.blend(s31, HALF4));
                FloatVector w0 = u0.rearrange(SWAP2).blend(u1.rearrange(SWAP2), HALF2).add(u0.blend(u1, HALF2));
                FloatVector w1 = u2.rearrange(SWAP2).blend(u3.rearrange(SWAP2), HALF2).add(u2.blend(u3, HALF2));
                w0.rearrange(SWAP1).blend(w1.rearrange(SWAP1), HALF1).add(w0.blend(w1, HALF1)).rearrange(BUTTERFLY_ORDER).intoArray(t, 0);
                for (int p = kv; p < k; p++) {
                    float x0 = b[b0 + p], x1 = b[b1 + p];
                    t[0] += a[a0 + p] * x0; t[1] += a[a0 + p] * x1;
                    t[2] += a[a1 + p] * x0; t[3] += a[a1 + p] * x1;
                    t[4] += a[a2 + p] * x0; t[5] += a[a2 + p] * x1;
                    t[6] += a[a3 + p] * x0; t[7] += a[a3 + p] * x1;
                }
                for (int r = 0; r < mr; r++)
                    for (int q = 0; q < nr; q++) put(c, cOff + (i + r) * ldc + j + q, t[2 * r + q], alpha, beta);
            }
        }
    }

    /** y[i*ys] = alpha * sum_p M[i*ldm + p] * x[p*xs] + beta*y, for i < rows: one dot product per row. */
    static void dotRows(int rows, int k, float[] mat, int mOff, int ldm, float[] x, int xOff, int xs,
                        float alpha, float beta, float[] y, int yOff, int ys) {
        if (xs != 1) {
            // Gather the strided vector once so every row reads it with vector loads.
            Workspace ws = WORKSPACE.get();
            if (ws.x.length < k) ws.x = new float[k];
            for (int p = 0; p < k; p++) ws.x[p] = x[xOff + p * xs];
            x = ws.x;
            xOff = 0;
        }
        int kv = k - k % L, i = 0;
        float[] sums = new float[L];
        for (; i + 4 <= rows; i += 4) {
            int r0 = mOff + i * ldm, r1 = r0 + ldm, r2 = r1 + ldm, r3 = r2 + ldm;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = FloatVector.fromArray(S, mat, r0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(S, mat, r1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(S, mat, r2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(S, mat, r3 + p).fma(xv, s3);
            }
            // The four lane sums by the butterfly of dots (Lanes.sum's order): sums 0, 1, 2, 3 end in lanes 0, 4, 2, 6.
            FloatVector u0 = s0.rearrange(SWAP4).blend(s1.rearrange(SWAP4), HALF4).add(s0.blend(s1, HALF4));
            FloatVector u1 = s2.rearrange(SWAP4).blend(s3.rearrange(SWAP4), HALF4).add(s2.blend(s3, HALF4));
            FloatVector w = u0.rearrange(SWAP2).blend(u1.rearrange(SWAP2), HALF2).add(u0.blend(u1, HALF2));
            w.add(w.rearrange(SWAP1)).intoArray(sums, 0);
            float t0 = sums[0], t1 = sums[4], t2 = sums[2], t3 = sums[6];
            for (int p = kv; p < k; p++) {
                float xp = x[xOff + p];
                t0 += mat[r0 + p] * xp;
                t1 += mat[r1 + p] * xp;
                t2 += mat[r2 + p] * xp;
                t3 += mat[r3 + p] * xp;
            }
            int yi = yOff + i * ys;
            put(y, yi, t0, alpha, beta);
            put(y, yi + ys, t1, alpha, beta);
            put(y, yi + 2 * ys, t2, alpha, beta);
            put(y, yi + 3 * ys, t3, alpha, beta);
        }
        for (; i < rows; i++) {
            int r = mOff + i * ldm;
            FloatVector s = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) s = FloatVector.fromArray(S, mat, r + p).fma(FloatVector.fromArray(S, x, xOff + p), s);
            float t = Lanes.sum((FloatVector) VECTOR.cast(s));
            for (int p = kv; p < k; p++) t += mat[r + p] * x[xOff + p];
            put(y, yOff + i * ys, t, alpha, beta);
        }
    }

    /** y[j*ys] = alpha * sum_p x[p*xs] * M[p*ldm + j] + beta*y, for j < cols: rows of M scaled and summed. */
    static void axpyRows(int cols, int k, float[] mat, int mOff, int ldm, float[] x, int xOff, int xs,
                         float alpha, float beta, float[] y, int yOff, int ys) {
        int j = 0;
        // 32 columns at a time: four independent accumulators per k step hide the FMA latency.
        for (; j + 4 * L <= cols; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0, row = mOff + j, xi = xOff; p < k; p++, row += ldm, xi += xs) {
                FloatVector xv = FloatVector.broadcast(S, x[xi]);
                s0 = FloatVector.fromArray(S, mat, row).fma(xv, s0);
                s1 = FloatVector.fromArray(S, mat, row + L).fma(xv, s1);
                s2 = FloatVector.fromArray(S, mat, row + 2 * L).fma(xv, s2);
                s3 = FloatVector.fromArray(S, mat, row + 3 * L).fma(xv, s3);
            }
            putVector(y, yOff, ys, j, s0, alpha, beta);
            putVector(y, yOff, ys, j + L, s1, alpha, beta);
            putVector(y, yOff, ys, j + 2 * L, s2, alpha, beta);
            putVector(y, yOff, ys, j + 3 * L, s3, alpha, beta);
        }
        for (; j + L <= cols; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int p = 0, row = mOff + j, xi = xOff; p < k; p++, row += ldm, xi += xs)
                s = FloatVector.fromArray(S, mat, row).fma(FloatVector.broadcast(S, x[xi]), s);
            putVector(y, yOff, ys, j, s, alpha, beta);
        }
        for (; j < cols; j++) {
            // Fused, as the vector columns are: every column is one chain of FMAs (the order a
            // pre-packed B's kernel repeats, see SgemmPackedSmall).
            float t = 0f;
            for (int p = 0, row = mOff + j, xi = xOff; p < k; p++, row += ldm, xi += xs) t = Math.fma(x[xi], mat[row], t);
            put(y, yOff + j * ys, t, alpha, beta);
        }
    }

    /** Columns per block of {@link #streamingAxpyRows}: a 1 KB segment of each matrix row. */
    private static final int STREAM_COLUMNS = 256;

    /**
     * {@link #axpyRows} into a dense y for a matrix too big for cache (a linear layer stored in x
     * out, on one sample: ResNet-18's 512 x 1000 classifier, 2 MB that come from memory after the
     * convolutions). axpyRows walks down 32 columns at a time, one 128-byte piece of every row (a
     * row 4 KB apart: a page, a TLB entry) per step, 1.1-2.5 ms here; this walks each row's
     * 1 KB segment of a block of columns in turn, into accumulators in L1, and the threads take
     * blocks. Each output is still the same fused multiply-adds in the same order: the same bits.
     */
    static void streamingAxpyRows(int cols, int k, float[] mat, int mOff, int ldm, float[] x, int xOff, int xs,
                                  float alpha, float beta, float[] y, int yOff) {
        int vec = cols - cols % L;
        if ((long) cols * k < DOTS_PARALLEL_FMAS || vec == 0) {
            axpyRows(cols, k, mat, mOff, ldm, x, xOff, xs, alpha, beta, y, yOff, 1);
            return;
        }
        Parallel.forRange(Math.ceilDiv(vec, STREAM_COLUMNS), 1, (s, e) -> {
            float[] acc = new float[STREAM_COLUMNS];
            for (int blk = s; blk < e; blk++) {
                int j0 = blk * STREAM_COLUMNS, w = Math.min(STREAM_COLUMNS, vec - j0);
                java.util.Arrays.fill(acc, 0, w, 0f);
                for (int p = 0, row = mOff + j0, xi = xOff; p < k; p++, row += ldm, xi += xs) {
                    FloatVector xv = FloatVector.broadcast(S, x[xi]);
                    for (int v = 0; v < w; v += L) FloatVector.fromArray(S, mat, row + v).fma(xv, FloatVector.fromArray(S, acc, v)).intoArray(acc, v);
                }
                for (int v = 0; v < w; v += L) putVector(y, yOff, 1, j0 + v, FloatVector.fromArray(S, acc, v), alpha, beta);
            }
        });
        // The last few columns (fewer than a vector): axpyRows's scalar loop, as before.
        if (vec < cols) axpyRows(cols - vec, k, mat, mOff + vec, ldm, x, xOff, xs, alpha, beta, y, yOff + vec, 1);
    }

    private static void put(float[] y, int i, float sum, float alpha, float beta) {
        y[i] = beta == 0f ? alpha * sum : alpha * sum + beta * y[i];
    }

    private static void putVector(float[] y, int yOff, int ys, int j, FloatVector s, float alpha, float beta) {
        if (ys == 1) {
            FloatVector r = ((FloatVector) VECTOR.cast(s)).mul(alpha);
            if (beta != 0f) r = FloatVector.fromArray(S, y, yOff + j).fma(FloatVector.broadcast(S, beta), r);
            ((FloatVector) VECTOR.cast(r)).intoArray(y, yOff + j);
        } else {
            for (int l = 0; l < L; l++) put(y, yOff + (j + l) * ys, s.lane(l), alpha, beta);
        }
    }

    /**
     * Small product with untransposed B, no packing: 4x16 tiles read op(A) and B in place. The last
     * (partial) block of columns is copied into a zero-padded 16-wide strip so loads never run past B;
     * partial row blocks repeat a valid row and discard its results.
     */
    private static void direct(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        final int MR = MicroKernel.MR, NR = MicroKernel.NR_F32;
        // opA[i][p] = a[aOff + i*rs + p*ps]
        int rs = transA ? 1 : lda, ps = transA ? lda : 1;
        int nFull = n - n % NR;
        if (nFull < n) {
            int w = n - nFull;
            if (ws.bTail.length < k * NR) ws.bTail = new float[k * NR];
            float[] t = ws.bTail;
            for (int p = 0; p < k; p++) {
                int src = bOff + p * ldb + nFull, d = p * NR;
                for (int j = 0; j < NR; j++) t[d + j] = j < w ? b[src + j] : 0f;
            }
        }
        // Depth slice by slice as the blocked driver cuts it: each slice one FMA chain, added to C
        // (beta 1 after the first), so the sums are the blocked path's and a pre-packed B's.
        int kc0 = SgemmBlocked.depthSlice(k);
        for (int i = 0; i < m; i += MR) {
            int mr = Math.min(MR, m - i);
            int a0 = aOff + i * rs;
            int a1 = mr > 1 ? a0 + rs : a0, a2 = mr > 2 ? a0 + 2 * rs : a0, a3 = mr > 3 ? a0 + 3 * rs : a0;
            for (int j = 0; j < n; j += NR) {
                int nr = Math.min(NR, n - j);
                boolean tail = nr < NR;
                float[] bb = tail ? ws.bTail : b;
                int bi = tail ? 0 : bOff + j, bps = tail ? NR : ldb;
                int ci = cOff + i * ldc + j;
                for (int pc = 0; pc < k; pc += kc0) {
                    int kc = Math.min(kc0, k - pc), ap = pc * ps, bp = bi + pc * bps;
                    float bt = pc == 0 ? beta : 1f;
                    if (mr == MR && !tail) {
                        MicroKernel.tileDirect(kc, a, a0 + ap, a1 + ap, a2 + ap, a3 + ap, ps, bb, bp, bps, alpha, bt, c, ci, ldc);
                    } else {
                        MicroKernel.tileDirect(kc, a, a0 + ap, a1 + ap, a2 + ap, a3 + ap, ps, bb, bp, bps, alpha, 0f, ws.scratch, 0, NR);
                        for (int r = 0; r < mr; r++) {
                            int row = ci + r * ldc;
                            for (int jj = 0; jj < nr; jj++) {
                                float v = ws.scratch[r * NR + jj];
                                c[row + jj] = bt == 0f ? v : v + bt * c[row + jj];
                            }
                        }
                    }
                }
            }
        }
    }
}
