package org.sinter.kernels;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention in one pass per head: {@code out[h] = softmax(Q[h]/c · K[h]ᵀ + mask) ·
 * V[h]} for float32 heads, without writing the [rows, keys] score matrix to memory. Each head
 * transposes its K once (so a score row is a sum of broadcast-times-vector products, no lane
 * reductions), then takes its queries four rows at a time: the four score rows (at most a few KB)
 * stay in L1 from the product through the softmax to the weighted sum of V's rows. A causal mask is
 * not read at all: row i computes only keys 0..i (rounded up to a vector), the rest count as -∞.
 * Heads run in parallel on the intra-op pool.
 *
 * <p>Rounding follows the unfused ops: the queries are divided by c as the eager division does, each
 * score sums its products in the order of the GEMM's micro-kernel (one FMA per depth step), and the
 * softmax of a row is {@link SoftmaxKernels}'s own exp-and-normalize code; only the products with V sum in a
 * different order than the GEMM's, so results agree with the eager chain to float rounding.
 */
public final class FusedAttention {
    private FusedAttention() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Query rows per block: four score rows and four output rows of accumulators. */
    private static final int ROWS = 4;

    /** A strided [heads, rows, columns] float32 operand: element (h, r, c) at {@code offset + h·hs + r·rs + c·cs}. */
    public record View(float[] data, int offset, int hs, int rs, int cs) {
        float at(int h, int r, int c) { return data[offset + h * hs + r * rs + c * cs]; }
    }

    /** Per-thread scratch: the head's transposed K, the block's scaled queries and its score rows. */
    private static final class Workspace {
        float[] kt = new float[0], q = new float[0], scores = new float[0];
        /** Offsets of L consecutive keys' rows (the gather in {@link #transposeKeys}), for the last row stride seen. */
        final int[] rows = new int[L];

        void ensure(int d, int sp) {
            if (kt.length < d * sp) kt = new float[d * sp];
            if (q.length < ROWS * d) q = new float[ROWS * d];
            if (scores.length < ROWS * sp) scores = new float[ROWS * sp];
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * Attention of {@code heads} heads of {@code l} queries over {@code s} keys of depth {@code d}.
     * q: [heads, l, d], k: [heads, s, d], v: [heads, s, d] with unit column stride, mask: [heads, l, s]
     * added to the scores (null: none; a broadcast mask has head stride 0), causal: key j &gt; i masked
     * (then l must equal s and mask must be null), out: [heads, l, d] with unit column stride.
     */
    public static void forward(int heads, int l, int s, int d, View q, float divisor, View k, View v, View mask, boolean causal, View out) {
        if (heads < 0 || l < 0 || s < 1 || d < 1) {
            throw new IllegalArgumentException("FusedAttention: bad sizes heads=" + heads + " l=" + l + " s=" + s + " d=" + d);
        }
        if (causal && (l != s || mask != null)) {
            throw new IllegalArgumentException("FusedAttention: a causal mask needs as many queries as keys (" + l + " vs " + s + ") and no other mask");
        }
        if (v.cs() != 1 || out.cs() != 1) throw new IllegalArgumentException("FusedAttention: v and out need unit column strides, got " + v.cs() + ", " + out.cs());
        long fmas = 2L * heads * l * s * d / (causal ? 2 : 1);
        if (fmas >= Parallel.PARALLEL_MIN_ELEMENTS && heads > 1) {
            Parallel.forRange(heads, 1, (h0, h1) -> {
                for (int h = h0; h < h1; h++) head(h, l, s, d, q, divisor, k, v, mask, causal, out);
            });
        } else {
            for (int h = 0; h < heads; h++) head(h, l, s, d, q, divisor, k, v, mask, causal, out);
        }
    }

    private static void head(int h, int l, int s, int d, View q, float divisor, View k, View v, View mask, boolean causal, View out) {
        int sp = (s + L - 1) / L * L;
        Workspace w = WORKSPACE.get();
        w.ensure(d, sp);
        transposeKeys(h, s, d, sp, k, w.kt, w.rows);
        for (int i0 = 0; i0 < l; i0 += ROWS) {
            int rows = Math.min(ROWS, l - i0);
            int n = causal ? i0 + rows : s; // the keys any row of the block sees
            int nv = (n + L - 1) / L * L;
            scaleQueries(h, i0, rows, d, q, divisor, w.q);
            scores(d, sp, nv, w.q, w.kt, w.scores);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r, off = r * sp;
                if (mask != null) for (int j = 0; j < s; j++) w.scores[off + j] += mask.at(h, i, j);
                int seen = causal ? i + 1 : s;
                java.util.Arrays.fill(w.scores, off + seen, off + nv, Float.NEGATIVE_INFINITY);
                SoftmaxKernels.normalizedExp(w.scores, off, w.scores, off, nv, rowMax(w.scores, off, nv));
            }
            weightedValues(h, i0, rows, n, d, sp, w.scores, v, out);
        }
    }

    /** The largest of x[off, off + n) (n a multiple of the vector length; NaN if any is NaN, as the eager softmax's maximum). */
    private static float rowMax(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j += L) m = FloatVector.fromArray(S, x, off + j).lanewise(jdk.incubator.vector.VectorOperators.MAX, m);
        return ((FloatVector) FLOAT.cast(m)).reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
    }

    /**
     * kt[p·sp + j] = K[h, j, p], zero for the padding keys j in [s, sp): each vector of L keys' element p by one
     * hardware gather down K's rows (a scalar loop took ~4% of the compiled GPT's time at batch 16).
     */
    private static void transposeKeys(int h, int s, int d, int sp, View k, float[] kt, int[] rows) {
        float[] kd = k.data();
        int base = k.offset() + h * k.hs(), rs = k.rs(), cs = k.cs(), whole = s - s % L;
        if (rows[1] != rs) for (int q = 0; q < L; q++) rows[q] = q * rs;
        for (int j = 0; j < whole; j += L) {
            for (int p = 0, src = base + j * rs; p < d; p++, src += cs)
                ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, kd, src, rows, 0))).intoArray(kt, p * sp + j);
        }
        for (int j = whole; j < s; j++) {
            for (int p = 0, src = base + j * rs, dst = j; p < d; p++, src += cs, dst += sp) kt[dst] = kd[src];
        }
        for (int p = 0; p < d; p++) java.util.Arrays.fill(kt, p * sp + s, p * sp + sp, 0f);
    }

    /** The block's query rows divided by the divisor, as the eager division does (a short block repeats its last row). */
    private static void scaleQueries(int h, int i0, int rows, int d, View q, float divisor, float[] qs) {
        float[] qd = q.data();
        int dv = q.cs() == 1 ? d - d % L : 0;
        FloatVector c = FloatVector.broadcast(S, divisor);
        for (int r = 0; r < ROWS; r++) {
            int src = q.offset() + h * q.hs() + (i0 + Math.min(r, rows - 1)) * q.rs(), p = 0;
            for (; p < dv; p += L) FloatVector.fromArray(S, qd, src + p).div(c).intoArray(qs, r * d + p);
            for (; p < d; p++) qs[r * d + p] = qd[src + p * q.cs()] / divisor;
        }
    }

    /** scores[r·sp + j] = Σ_p qs[r, p]·kt[p, j] for the four rows and keys j &lt; nv. */
    private static void scores(int d, int sp, int nv, float[] qs, float[] kt, float[] scores) {
        for (int j = 0; j < nv; j += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < d; p++) {
                FloatVector kv = FloatVector.fromArray(S, kt, p * sp + j);
                a0 = FloatVector.broadcast(S, qs[p]).fma(kv, a0);
                a1 = FloatVector.broadcast(S, qs[d + p]).fma(kv, a1);
                a2 = FloatVector.broadcast(S, qs[2 * d + p]).fma(kv, a2);
                a3 = FloatVector.broadcast(S, qs[3 * d + p]).fma(kv, a3);
            }
            ((FloatVector) FLOAT.cast(a0)).intoArray(scores, j);
            ((FloatVector) FLOAT.cast(a1)).intoArray(scores, sp + j);
            ((FloatVector) FLOAT.cast(a2)).intoArray(scores, 2 * sp + j);
            ((FloatVector) FLOAT.cast(a3)).intoArray(scores, 3 * sp + j);
        }
    }

    /** out[h, i0 + r, :] = Σ_{j &lt; n} p[r, j]·V[h, j, :] for the block's rows (weights past a row's keys are 0). */
    private static void weightedValues(int h, int i0, int rows, int n, int d, int sp, float[] p, View v, View out) {
        float[] vd = v.data(), od = out.data();
        int vBase = v.offset() + h * v.hs(), oBase = out.offset() + h * out.hs() + i0 * out.rs();
        int dv = d - d % L;
        for (int c = 0; c < dv; c += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < n; j++) {
                FloatVector x = FloatVector.fromArray(S, vd, vBase + j * v.rs() + c);
                a0 = FloatVector.broadcast(S, p[j]).fma(x, a0);
                a1 = FloatVector.broadcast(S, p[sp + j]).fma(x, a1);
                a2 = FloatVector.broadcast(S, p[2 * sp + j]).fma(x, a2);
                a3 = FloatVector.broadcast(S, p[3 * sp + j]).fma(x, a3);
            }
            ((FloatVector) FLOAT.cast(a0)).intoArray(od, oBase + c);
            if (rows > 1) a1.intoArray(od, oBase + out.rs() + c);
            if (rows > 2) a2.intoArray(od, oBase + 2 * out.rs() + c);
            if (rows > 3) a3.intoArray(od, oBase + 3 * out.rs() + c);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = dv; c < d; c++) {
                float t = 0f;
                for (int j = 0; j < n; j++) t = Math.fma(p[r * sp + j], vd[vBase + j * v.rs() + c], t);
                od[oBase + r * out.rs() + c] = t;
            }
        }
    }
}
