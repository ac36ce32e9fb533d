package org.sinter.ops;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.gemm.Gemm;

/**
 * Matrix products. {@code matmul} follows PyTorch: 1-D operands are promoted to matrices and the
 * added dimension removed afterwards; batch dimensions broadcast. The primitive is a batched
 * 2-D product ({@link BmmOp}) whose operands may be transposed views: the GEMM kernel reads them
 * through its transpose flags, so {@code x.matmul(w.t())} never copies {@code w}.
 */
public final class LinalgOps {
    private LinalgOps() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        DType rt = TypePromotion.resultType(a, b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: expected both operands to have the same dtype, but got " + a.dtype().name()
                    + " and " + b.dtype().name());
        }
        if (rt == DType.BOOL) {
            throw new IllegalArgumentException("matmul: bool matrix products are not supported; convert to an integer or float dtype");
        }
        Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
        int[] as = a2.shape(), bs = b2.shape();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n + ")");
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        Tensor out;
        if (batch.length == 0) {
            out = Dispatch.apply1(new BmmOp(), a2.unsqueeze(0), b2.unsqueeze(0)).squeeze(0);
        } else if (batchB.length == 0 && a2.isContiguous()) {
            // [..., m, k] @ [k, n]: fold the batch into rows, one big GEMM.
            out = Dispatch.apply1(new BmmOp(), a2.reshape(1, -1, k), b2.unsqueeze(0)).reshape(concat(batch, m, n));
        } else {
            int bsz = Shape.numel(batch);
            Tensor ae = a2.expand(concat(batch, m, k)).reshape(bsz, m, k);
            Tensor be = b2.expand(concat(batch, k, n)).reshape(bsz, k, n);
            out = Dispatch.apply1(new BmmOp(), ae, be).reshape(concat(batch, m, n));
        }
        if (da == 1) out = out.squeeze(-2);
        if (db == 1) out = out.squeeze(-1);
        return out;
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] r = Arrays.copyOf(batch, batch.length + 2);
        r[batch.length] = x;
        r[batch.length + 1] = y;
        return r;
    }

    /** [B, m, k] @ [B, k, n] → [B, m, n]. Gradients: g @ bᵀ and aᵀ @ g. */
    static final class BmmOp extends Op {
        @Override public String name() { return "bmm"; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor a = in[0], b = in[1];
            int[] as = a.shape(), bs = b.shape();
            int batch = as[0], m = as[1], k = as[2], n = bs[2];
            DType ct = a.dtype().computeType();
            if (!ct.isFloatingPoint()) return new Tensor[] {integerBmm(a, b)};
            Operand oa = Operand.of(a, ct), ob = Operand.of(b, ct);
            Tensor out = Tensor.empty(ct, batch, m, n);
            if (m > 0 && n > 0) {
                Parallel.RangeBody body = (s, e) -> {
                    for (int i = s; i < e; i++) {
                        if (ct == DType.FLOAT32) {
                            Gemm.sgemm(oa.trans, ob.trans, m, n, k, 1f, oa.t.storage().floats(), oa.offset(i), oa.ld,
                                    ob.t.storage().floats(), ob.offset(i), ob.ld, 0f, out.storage().floats(), i * m * n, n);
                        } else {
                            Gemm.dgemm(oa.trans, ob.trans, m, n, k, 1.0, oa.t.storage().doubles(), oa.offset(i), oa.ld,
                                    ob.t.storage().doubles(), ob.offset(i), ob.ld, 0.0, out.storage().doubles(), i * m * n, n);
                        }
                    }
                };
                // Small matrices: parallel over the batch; large ones: the GEMM parallelizes itself.
                if (batch > 1 && (long) m * n * k < (1L << 18)) Parallel.forRange(batch, 1, body);
                else body.run(0, batch);
            }
            return new Tensor[] {ct == a.dtype() ? out : Copy.dense(out, a.dtype())};
        }

        /** Exact integer products (no SIMD: integer matmul is rare and must not round). */
        private static Tensor integerBmm(Tensor a, Tensor b) {
            int[] as = a.shape(), bs = b.shape();
            int batch = as[0], m = as[1], k = as[2], n = bs[2];
            Tensor out = Tensor.empty(a.dtype(), batch, m, n);
            for (int bi = 0; bi < batch; bi++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        long s = 0;
                        for (int p = 0; p < k; p++) s += (long) a.get(bi, i, p) * (long) b.get(bi, p, j);
                        out.storage().setLong((bi * m + i) * n + j, s);
                    }
            return out;
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            Tensor gy = g[0], a = ctx.input(0), b = ctx.input(1);
            // Each gradient comes out in its input's layout (as PyTorch's mm backward does): the
            // gradient of a transposed weight view, x @ w.t(), is then w's own row-major layout,
            // and accumulating it into w.grad needs no transposing copy.
            Tensor ga = null, gb = null;
            if (ctx.needsInputGrad(0)) {
                ga = columnMajor(a) ? b.matmul(gy.transpose(1, 2)).transpose(1, 2) : gy.matmul(b.transpose(1, 2));
            }
            if (ctx.needsInputGrad(1)) {
                gb = columnMajor(b) ? gy.transpose(1, 2).matmul(a).transpose(1, 2) : a.transpose(1, 2).matmul(gy);
            }
            return new Tensor[] {ga, gb};
        }

        /** A [B, r, c] operand stored column by column (a transposed view) rather than row by row. */
        private static boolean columnMajor(Tensor x) {
            int[] sh = x.shape(), st = x.stride();
            return sh[1] > 1 && sh[2] > 1 && st[1] == 1 && st[2] != 1;
        }
    }

    /**
     * A batched matrix operand as the GEMM sees it: row-major (trans=false) or column-major
     * (trans=true, a transposed view) with a leading dimension; copied only when neither fits.
     */
    record Operand(Tensor t, boolean trans, int ld, int batchStride) {
        static Operand of(Tensor x, DType ct) {
            if (x.dtype() != ct) x = Copy.dense(x, ct);
            int[] sh = x.shape(), st = x.stride();
            int rows = sh[1], cols = sh[2];
            if (st[2] == 1 && (st[1] >= Math.max(1, cols) || rows <= 1)) return new Operand(x, false, Math.max(st[1], Math.max(1, cols)), st[0]);
            if (st[1] == 1 && (st[2] >= Math.max(1, rows) || cols <= 1)) return new Operand(x, true, Math.max(st[2], Math.max(1, rows)), st[0]);
            Tensor c = Copy.dense(x, ct);
            return new Operand(c, false, Math.max(1, cols), rows * cols);
        }

        int offset(int i) {
            return t.storageOffset() + i * batchStride;
        }
    }
}
