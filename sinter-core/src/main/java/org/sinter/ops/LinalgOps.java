package org.sinter.ops;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * Matrix products. {@code matmul} follows PyTorch: 1-D operands are promoted to matrices and the
 * added dimension removed afterwards; batch dimensions broadcast. The primitive is a batched
 * 2-D product ({@link Bmm}) whose operands may be transposed views: the GEMM kernel reads them
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
            out = Dispatch.apply1(new Bmm(), a2.unsqueeze(0), b2.unsqueeze(0)).squeeze(0);
        } else if (batchB.length == 0) {
            // [..., m, k] @ [k, n]: fold the batch into rows, one big GEMM (as PyTorch does; a strided
            // operand is copied once by the reshape, cheaper than one small GEMM per batch entry).
            out = Dispatch.apply1(new Bmm(), a2.reshape(1, -1, k), b2.unsqueeze(0)).reshape(concat(batch, m, n));
        } else {
            int bsz = Shape.numel(batch);
            Tensor ae = a2.expand(concat(batch, m, k)).reshape(bsz, m, k);
            Tensor be = b2.expand(concat(batch, k, n)).reshape(bsz, k, n);
            out = Dispatch.apply1(new Bmm(), ae, be).reshape(concat(batch, m, n));
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

    /** [B, m, k] @ [B, k, n] → [B, m, n]; operands may be transposed views (the GEMM reads them in place). */
    public record Bmm() implements Op {
        @Override public String name() { return "bmm"; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            int[] as = in[0].shape(), bs = in[1].shape();
            if (as.length != 3 || bs.length != 3 || as[0] != bs[0] || as[2] != bs[1]) {
                throw new IllegalArgumentException("bmm: expected [B, m, k] and [B, k, n], got " + Arrays.toString(as) + " and " + Arrays.toString(bs));
            }
            return Op.one(new int[] {as[0], as[1], bs[2]}, in[0].dtype());
        }
    }
}
