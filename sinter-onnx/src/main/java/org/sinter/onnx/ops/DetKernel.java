package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.ArrayList;
import java.util.List;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * ONNX {@code Det}: the determinant of each square matrix in the trailing two dimensions, by LU
 * factorisation with partial pivoting written as tensor operations (so it traces into a static
 * graph): at step k the row with the largest |a[i][k]| (i >= k) is swapped up by a gather, the
 * rows below are eliminated, and the determinant is the product of the pivots times the sign of
 * the row swaps. A zero pivot column leaves a zero on the diagonal, and the determinant is 0.
 * Computed in float64 and returned in the input's type.
 */
final class DetKernel {
    private DetKernel() {}

    static void register(OpRegistry r) {
        r.add("Det", DetKernel::det);
    }

    private static Tensor[] det(NodeContext node) {
        Tensor x = node.in(0);
        if (!x.isFloatingPoint()) throw node.error("input must be a floating-point tensor, got " + x.dtype());
        if (x.dim() < 2 || x.size(x.dim() - 1) != x.size(x.dim() - 2)) throw node.error("input must be [..., M, M], got " + x.describe());
        int n = x.size(x.dim() - 1);
        int[] batchShape = java.util.Arrays.copyOf(x.shape(), x.dim() - 2);
        int batch = 1;
        for (int d : batchShape) batch *= d;
        Tensor a = x.to(DType.FLOAT64).reshape(batch, n, n);
        if (n == 0) return one(Tensor.scalar(1, x.dtype()).expand(batchShape).contiguous());
        long[] rows = new long[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        Tensor rowIndex = Tensor.of(rows, n); // 0..n-1
        Tensor sign = Tensor.scalar(1.0, DType.FLOAT64);
        List<Tensor> pivots = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            // The pivot row: the largest |a[i][k]| for i >= k (argmax over the remaining rows), per matrix.
            Tensor p = a.narrow(1, k, n - k).select(2, k).abs().argmax(1, true).add((long) k); // [batch, 1]
            // Swap rows k and p: row index r[i] = p if i == k, k if i == p, i otherwise.
            Tensor r = Tensor.where(rowIndex.eq((double) k), p, Tensor.where(rowIndex.eq(p), Tensor.scalar(k, DType.INT64), rowIndex)); // [batch, n]
            a = a.gather(1, r.unsqueeze(2).expand(batch, n, n).contiguous());
            sign = sign.mul(Tensor.where(p.ne((double) k), Tensor.scalar(-1.0, DType.FLOAT64), Tensor.scalar(1.0, DType.FLOAT64)).reshape(batch));
            Tensor pivot = a.select(1, k).select(1, k); // [batch]
            pivots.add(pivot);
            if (k == n - 1) break;
            Tensor below = a.narrow(1, k + 1, n - k - 1);
            Tensor safe = Tensor.where(pivot.eq(0.0), Tensor.scalar(1.0, DType.FLOAT64), pivot);
            Tensor factors = Tensor.where(pivot.eq(0.0).unsqueeze(1), Tensor.scalar(0.0, DType.FLOAT64), below.select(2, k).div(safe.unsqueeze(1))); // [batch, n-k-1]
            Tensor eliminated = below.sub(factors.unsqueeze(2).mul(a.narrow(1, k, 1)));
            a = Tensor.cat(List.of(a.narrow(1, 0, k + 1), eliminated), 1);
        }
        Tensor det = sign;
        for (Tensor p : pivots) det = det.mul(p);
        return one(det.reshape(batchShape).to(x.dtype()));
    }
}
