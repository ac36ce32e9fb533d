package org.sinter.backend.cpu;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.CumsumKernels;
import org.sinter.kernels.ReduceKernels;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.ReduceOps.Kind;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.TypePromotion;
import org.sinter.kernels.SoftmaxKernels;

/**
 * CPU reductions: kernels see contiguous [outer, r, inner] blocks; reductions over non-adjacent
 * dims run one dim at a time.
 */
final class CpuReductions {
    private CpuReductions() {}

    static Tensor reduce(ReduceOps.Reduce op, Tensor x) {
        boolean[] mask = ReduceOps.maskOf(op.dims(), x.dim());
        Kind kind = op.kind();
        DType dt = x.dtype();
        DType outType = op.outType(dt);
        Tensor r = reduceRaw(kind, x, mask, outType);
        if (op.mean()) {
            long count = 1;
            int[] sh = x.shape();
            for (int i = 0; i < sh.length; i++) if (mask[i]) count *= sh[i];
            r = Elementwise.binary("mean", BinaryFn.DIV, r, Tensor.wrappedScalar((double) count), r.dtype());
        }
        int[] os = ReduceOps.outShape(x.shape(), mask, op.keepDim());
        return Tensor.viewOf(r, os, Shape.contiguousStrides(os), 0);
    }

    /** Runs a reduction without autograd, into a contiguous tensor of the kept shape. */
    static Tensor reduceRaw(Kind kind, Tensor x, boolean[] mask, DType outType) {
        int[] sh = x.shape();
        int n = sh.length;
        int lo = -1, hi = -1;
        for (int i = 0; i < n; i++) {
            if (!mask[i]) continue;
            if (lo < 0) lo = i;
            hi = i;
        }
        boolean adjacent = lo < 0 || allOnesOrMasked(sh, mask, lo, hi + 1);
        if (lo < 0) {
            // Nothing to reduce: a copy in the output type.
            Tensor out = Tensor.empty(outType, sh);
            Copy.copyInto(out, x);
            return out;
        }
        if (!adjacent) {
            // Reduce the highest masked dim first, then the rest.
            boolean[] last = new boolean[n];
            last[hi] = true;
            Tensor partial = reduceRaw(kind, x, last, outType);
            boolean[] rest = mask.clone();
            rest[hi] = false;
            return reduceRaw(kind, partial, rest, outType);
        }
        int outer = 1, r = 1, inner = 1;
        for (int i = 0; i < lo; i++) outer *= sh[i];
        for (int i = lo; i <= hi; i++) r *= mask[i] ? sh[i] : 1;
        for (int i = lo; i <= hi; i++) if (!mask[i]) inner *= sh[i]; // size-1 (checked) unmasked dims inside the block
        for (int i = hi + 1; i < n; i++) inner *= sh[i];
        int[] kept = ReduceOps.keptShape(sh, mask);
        DType ct = outType.isFloatingPoint() ? outType.computeType() : DType.INT64;
        Tensor xc = Copy.dense(x, ct == DType.INT64 && !x.dtype().isFloatingPoint() ? DType.INT64 : ct);
        Tensor out = Tensor.empty(ct, kept);
        runKernel(kind, xc, outer, r, inner, out);
        return ct == outType ? out : Copy.dense(out, outType);
    }

    private static boolean allOnesOrMasked(int[] sh, boolean[] mask, int from, int to) {
        for (int i = from; i < to; i++) if (!mask[i] && sh[i] != 1) return false;
        return true;
    }

    private static void runKernel(Kind kind, Tensor xc, int outer, int r, int inner, Tensor out) {
        int xo = xc.storageOffset();
        switch (out.dtype()) {
            case FLOAT32 -> {
                float[] x = xc.storage().floats(), y = out.storage().floats();
                switch (kind) {
                    case SUM -> ReduceKernels.sumF32(x, xo, outer, r, inner, y, 0);
                    case PROD -> ReduceKernels.prodF32(x, xo, outer, r, inner, y, 0);
                    case MAX -> ReduceKernels.maxF32(x, xo, outer, r, inner, y, 0);
                    case MIN -> ReduceKernels.minF32(x, xo, outer, r, inner, y, 0);
                }
            }
            case FLOAT64 -> {
                double[] x = xc.storage().doubles(), y = out.storage().doubles();
                switch (kind) {
                    case SUM -> ReduceKernels.sumF64(x, xo, outer, r, inner, y, 0);
                    case PROD -> ReduceKernels.prodF64(x, xo, outer, r, inner, y, 0);
                    case MAX -> ReduceKernels.maxF64(x, xo, outer, r, inner, y, 0);
                    case MIN -> ReduceKernels.minF64(x, xo, outer, r, inner, y, 0);
                }
            }
            case INT64 -> {
                long[] x = xc.storage().longs(), y = out.storage().longs();
                switch (kind) {
                    case SUM -> ReduceKernels.sumI64(x, xo, outer, r, inner, y, 0);
                    case PROD -> ReduceKernels.prodI64(x, xo, outer, r, inner, y, 0);
                    case MAX -> ReduceKernels.maxI64(x, xo, outer, r, inner, y, 0);
                    case MIN -> ReduceKernels.minI64(x, xo, outer, r, inner, y, 0);
                }
            }
            default -> throw new IllegalStateException("no reduction kernel for " + out.dtype());
        }
    }

    static Tensor argReduce(ReduceOps.ArgReduce op, Tensor t) {
        Integer d = op.dim();
        boolean max = op.max(), keepDim = op.keepDim();
        String name = op.name();
        if (t.numel() == 0 && (d == null || t.dim() == 0)) {
            throw new IllegalArgumentException(name + "(): Expected reduction dim to be specified for input.numel() == 0");
        }
        Tensor src = d == null || t.dim() == 0 ? Copy.dense(t, t.dtype()).reshape(-1) : t;
        int dd = d == null || t.dim() == 0 ? 0 : d;
        int[] sh = src.shape();
        if (sh[dd] == 0) throw new IllegalArgumentException(name + "(): Expected reduction dim " + dd + " to have non-zero size");
        if (src.numel() == 0) {
            int[] kept0 = sh.clone();
            kept0[dd] = 1;
            Tensor e = Tensor.empty(DType.INT64, kept0);
            return keepDim ? e : e.squeeze(dd);
        }
        int outer = 1, r = sh[dd], inner = 1;
        for (int i = 0; i < dd; i++) outer *= sh[i];
        for (int i = dd + 1; i < sh.length; i++) inner *= sh[i];
        DType ct = src.dtype().isFloatingPoint() ? src.dtype().computeType() : DType.FLOAT64;
        Tensor xc = Copy.dense(src, ct);
        int[] kept = sh.clone();
        kept[dd] = 1;
        Tensor out = Tensor.empty(DType.INT64, kept);
        long[] y = out.storage().longs();
        if (ct == DType.FLOAT32) {
            if (max) ReduceKernels.argmaxF32(xc.storage().floats(), xc.storageOffset(), outer, r, inner, y, 0);
            else ReduceKernels.argminF32(xc.storage().floats(), xc.storageOffset(), outer, r, inner, y, 0);
        } else {
            if (max) ReduceKernels.argmaxF64(xc.storage().doubles(), xc.storageOffset(), outer, r, inner, y, 0);
            else ReduceKernels.argminF64(xc.storage().doubles(), xc.storageOffset(), outer, r, inner, y, 0);
        }
        if (d == null) return keepDim ? out.reshape(onesLike(t.dim())) : out.reshape();
        if (t.dim() == 0) return out.reshape();
        return keepDim ? out : out.squeeze(dd);
    }

    static Tensor cumsum(ReduceOps.Cumsum op, Tensor x) {
        int dim = op.dim();
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        DType ct = outType.computeType();
        Tensor xc = Copy.dense(x, ct);
        Tensor out = Tensor.empty(ct, x.shape());
        int[] sh = x.shape();
        if (sh.length == 0) { Copy.copyInto(out, xc); return Copy.dense(out, outType); }
        int outer = 1, r = sh[dim], inner = 1;
        for (int i = 0; i < dim; i++) outer *= sh[i];
        for (int i = dim + 1; i < sh.length; i++) inner *= sh[i];
        int xo = xc.storageOffset();
        switch (ct) {
            case FLOAT32 -> CumsumKernels.cumsumF32(xc.storage().floats(), xo, outer, r, inner, out.storage().floats(), 0);
            case FLOAT64 -> CumsumKernels.cumsumF64(xc.storage().doubles(), xo, outer, r, inner, out.storage().doubles(), 0);
            default -> CumsumKernels.cumsumI64(xc.storage().longs(), xo, outer, r, inner, out.storage().longs(), 0);
        }
        return ct == outType ? out : Copy.dense(out, outType);
    }

    /** The p-norm from primitives (its own op only for the gradient at zero). */
    static Tensor norm(ReduceOps.Norm op, Tensor x) {
        int[] d = op.dims().toArray();
        double p = op.p();
        return p == 2 ? x.mul(x).sum(d, op.keepDim()).sqrt() : x.abs().pow(p).sum(d, op.keepDim()).pow(1 / p);
        }

    private static int[] onesLike(int n) {
        int[] s = new int[n];
        Arrays.fill(s, 1);
        return s;
    }

    static Tensor softmax(SoftmaxOps.Softmax op, Tensor x) {
        int dim = op.dim();
        boolean log = op.log();
        DType outType = TypePromotion.toFloating(x.dtype());
        DType ct = outType.computeType();
        Tensor xc = Copy.dense(x, ct);
        Tensor out = Tensor.empty(ct, x.shape());
        int[] sh = x.shape();
        int outer = 1, r = sh.length == 0 ? 1 : sh[dim], inner = 1;
        for (int i = 0; i < dim; i++) outer *= sh[i];
        for (int i = dim + 1; i < sh.length; i++) inner *= sh[i];
        if (out.numel() > 0) {
            if (ct == DType.FLOAT32) {
                float[] xa = xc.storage().floats(), ya = out.storage().floats();
                if (log) SoftmaxKernels.logSoftmaxF32(xa, xc.storageOffset(), outer, r, inner, ya, 0);
                else SoftmaxKernels.softmaxF32(xa, xc.storageOffset(), outer, r, inner, ya, 0);
            } else {
                double[] xa = xc.storage().doubles(), ya = out.storage().doubles();
                if (log) SoftmaxKernels.logSoftmaxF64(xa, xc.storageOffset(), outer, r, inner, ya, 0);
                else SoftmaxKernels.softmaxF64(xa, xc.storageOffset(), outer, r, inner, ya, 0);
            }
        }
        return ct == outType ? out : Copy.dense(out, outType);
    }
}
