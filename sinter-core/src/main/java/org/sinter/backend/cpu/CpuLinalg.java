package org.sinter.backend.cpu;

import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.MatrixLayout;

/** CPU batched matrix product: float types through the GEMM, integers exactly. */
final class CpuLinalg {
    private CpuLinalg() {}

    static Tensor bmm(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int batch = as[0], m = as[1], k = as[2], n = bs[2];
        DType ct = a.dtype().computeType();
        if (!ct.isFloatingPoint()) return integerBmm(a, b);
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
        return ct == a.dtype() ? out : Copy.dense(out, a.dtype());
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

    /**
     * A batched matrix operand as the GEMM sees it: row-major (trans=false) or column-major
     * (trans=true, a transposed view) with a leading dimension; copied only when neither fits.
     */
    record Operand(Tensor t, boolean trans, int ld, int batchStride) {
        static Operand of(Tensor x, DType ct) {
            if (x.dtype() != ct) x = Copy.dense(x, ct);
            int[] sh = x.shape(), st = x.stride();
            int rows = sh[1], cols = sh[2];
            MatrixLayout layout = MatrixLayout.of(rows, cols, st[1], st[2]);
            if (layout != null) return new Operand(x, layout.trans(), layout.ld(), st[0]);
            Tensor c = Copy.dense(x, ct);
            return new Operand(c, false, Math.max(1, cols), rows * cols);
        }

        int offset(int i) {
            return t.storageOffset() + i * batchStride;
        }
    }
}
