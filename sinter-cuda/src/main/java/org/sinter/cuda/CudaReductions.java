package org.sinter.cuda;

import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.SoftmaxOps;

/**
 * Reductions and softmax on the GPU: the reduced dimensions are moved last (a permuted copy when
 * they are not already), so every kernel works on dense rows ({@code reduce.cu},
 * {@code softmax.cu}: one block per row, warp-shuffle trees). Null means "no GPU kernel for this
 * case" (empty inputs, integer products and extrema), and the host runs it.
 */
final class CudaReductions {
    private static final int BLOCK = 256;

    private CudaReductions() {}

    /** {@code x} with dims {@code last} moved to the end, dense, in dtype {@code dt}. */
    private static Tensor rows(Tensor x, boolean[] last, DType dt) {
        int n = x.dim();
        int[] perm = new int[n];
        int p = 0;
        for (int d = 0; d < n; d++) if (!last[d]) perm[p++] = d;
        for (int d = 0; d < n; d++) if (last[d]) perm[p++] = d;
        Tensor xp = x.permute(perm);
        if (xp.isContiguous() && xp.dtype() == dt) return xp;
        Tensor dense = CudaBackend.empty(dt, x, xp.shape());
        PointwiseOps.copy(dense, xp);
        return dense;
    }

    private static String suffix(DType dt) {
        return switch (dt) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            default -> throw new IllegalStateException("no reduction kernel for " + dt);
        };
    }

    static Tensor reduce(ReduceOps.Reduce op, Tensor x) {
        if (x.numel() == 0) return null;
        boolean[] mask = ReduceOps.maskOf(op.dims(), x.dim());
        DType outType = op.outType(x.dtype());
        DType kt;
        if (x.dtype().isFloatingPoint()) kt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        else if (op.kind() == ReduceOps.Kind.SUM) kt = DType.INT64;
        else return null;
        long cols = 1;
        int[] sh = x.shape();
        for (int d = 0; d < sh.length; d++) if (mask[d]) cols *= sh[d];
        long rowsCount = x.numel() / cols;
        Tensor dense = rows(x, mask, kt);
        Tensor r = CudaBackend.empty(kt, x, (int) rowsCount);
        CudaDevice dev = CudaBackend.deviceOf(r);
        String kind = op.kind().name().toLowerCase(java.util.Locale.ROOT);
        Launch l = Launch.of(dev.kernels().resource("reduce.cu", "reduce_" + kind + "_" + suffix(kt)))
                .ptr(CudaBackend.address(dense)).ptr(CudaBackend.address(r)).i32((int) rowsCount).i32((int) cols);
        if (op.kind() == ReduceOps.Kind.SUM || op.kind() == ReduceOps.Kind.PROD) {
            if (kt == DType.FLOAT32) l.f32(1f);
            else if (kt == DType.FLOAT64) l.f64(1.0);
        }
        l.grid((int) Math.min(rowsCount, 65535)).block(BLOCK).run(dev);
        if (op.mean()) Pointwise.run("mean", "a / (T) p0", Pointwise.computeType(kt), r, new Tensor[] {r},
                new String[] {Pointwise.computeType(kt)}, (double) cols, 0);
        if (outType != kt) {
            Tensor cast = CudaBackend.empty(outType, x, r.shape());
            PointwiseOps.copy(cast, r);
            r = cast;
        }
        return r.reshape(ReduceOps.outShape(sh, mask, op.keepDim()));
    }

    static Tensor argReduce(ReduceOps.ArgReduce op, Tensor x) {
        if (x.numel() == 0 || !x.dtype().isFloatingPoint()) return null;
        DType kt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor src = op.dim() == null ? x.reshape(-1) : x;
        boolean[] mask = new boolean[src.dim()];
        int dim = op.dim() == null ? 0 : (op.dim() < 0 ? op.dim() + x.dim() : op.dim());
        if (src.dim() > 0) mask[dim] = true;
        int cols = src.dim() == 0 ? 1 : src.size(dim);
        long rowsCount = src.numel() / cols;
        Tensor dense = rows(src, mask, kt);
        Tensor r = CudaBackend.empty(DType.INT64, x, (int) rowsCount);
        CudaDevice dev = CudaBackend.deviceOf(r);
        Launch.of(dev.kernels().resource("reduce.cu", (op.max() ? "argmax_" : "argmin_") + suffix(kt)))
                .ptr(CudaBackend.address(dense)).ptr(CudaBackend.address(r)).i32((int) rowsCount).i32(cols)
                .grid((int) Math.min(rowsCount, 65535)).block(BLOCK).run(dev);
        return r.reshape(op.meta(x)[0].shape());
    }

    static Tensor softmax(SoftmaxOps.Softmax op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) return null;
        if (x.numel() == 0) return CudaBackend.empty(x.dtype(), x, x.shape());
        DType kt = x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        int n = Math.max(x.dim(), 1);
        Tensor src = x.dim() == 0 ? x.reshape(1) : x;
        int dim = op.dim() < 0 ? op.dim() + n : op.dim();
        boolean[] mask = new boolean[n];
        mask[dim] = true;
        Tensor dense = rows(src, mask, kt);
        int cols = src.size(dim);
        long rowsCount = src.numel() / cols;
        Tensor y = CudaBackend.empty(kt, x, dense.shape());
        CudaDevice dev = CudaBackend.deviceOf(y);
        Launch.of(dev.kernels().resource("softmax.cu", "softmax_rows_" + suffix(kt)))
                .ptr(CudaBackend.address(dense)).ptr(CudaBackend.address(y)).i32((int) rowsCount).i32(cols).i32(op.log() ? 1 : 0)
                .grid((int) Math.min(rowsCount, 65535)).block(BLOCK).run(dev);
        if (dim == n - 1 && kt == x.dtype()) return y.reshape(x.shape());
        // Back to the input's dimension order, dense.
        int[] perm = new int[n], inverse = new int[n];
        int p = 0;
        for (int d = 0; d < n; d++) if (!mask[d]) perm[p++] = d;
        perm[p] = dim;
        for (int i = 0; i < n; i++) inverse[perm[i]] = i;
        Tensor back = y.permute(inverse);
        Tensor out = CudaBackend.empty(x.dtype(), x, x.shape());
        PointwiseOps.copy(x.dim() == 0 ? out.reshape(1) : out, back);
        return out;
    }
}
