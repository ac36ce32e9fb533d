package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;
import org.sinter.kernels.ReduceKernels;

/**
 * Reductions over any set of dimensions (sum, mean, prod, amax, amin, max/min with indices,
 * argmax, norm, cumsum) and the composites built on them (var, std, logsumexp). Kernels see
 * contiguous [outer, r, inner] blocks; reductions over non-adjacent dims run one dim at a time.
 */
public final class ReduceOps {
    private ReduceOps() {}

    enum Kind { SUM, PROD, MAX, MIN }

    /** The reduced dims as a mask over the input's dims (all dims when {@code dims} is null or empty). */
    static boolean[] mask(String op, Tensor x, int[] dims) {
        int n = x.dim();
        if (dims == null || dims.length == 0) {
            boolean[] m = new boolean[n];
            Arrays.fill(m, true);
            return m;
        }
        return Shape.dimMask(op, dims, n);
    }

    static int[] outShape(int[] shape, boolean[] mask, boolean keepDim) {
        int k = 0;
        for (int i = 0; i < shape.length; i++) if (keepDim || !mask[i]) k++;
        int[] out = new int[k];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (mask[i]) { if (keepDim) out[j++] = 1; } else out[j++] = shape[i];
        }
        return out;
    }

    static int[] keptShape(int[] shape, boolean[] mask) {
        return outShape(shape, mask, true);
    }

    /** One reduction op: kind, dims mask and keepDim; forward through the kernels. */
    static final class ReduceOp extends Op {
        final Kind kind;
        final boolean[] mask;
        final boolean keepDim;
        final boolean mean;

        ReduceOp(Kind kind, boolean[] mask, boolean keepDim, boolean mean) {
            this.kind = kind;
            this.mask = mask;
            this.keepDim = keepDim;
            this.mean = mean;
        }

        @Override
        public String name() {
            if (mean) return "mean";
            return switch (kind) { case SUM -> "sum"; case PROD -> "prod"; case MAX -> "amax"; case MIN -> "amin"; };
        }

        @Override
        public Map<String, Object> attributes() {
            return Map.of("dim", dimsOf(mask), "keepdim", keepDim);
        }

        @Override public boolean savesInputs() { return kind != Kind.SUM; }

        @Override public boolean savesOutputs() { return kind != Kind.SUM; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0];
            DType dt = x.dtype();
            if (mean && !dt.isFloatingPoint()) {
                throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: " + dt.name());
            }
            if ((kind == Kind.MAX || kind == Kind.MIN) && x.numel() == 0) {
                int[] sh = x.shape();
                for (int i = 0; i < sh.length; i++) {
                    if (mask[i] && sh[i] == 0) {
                        throw new IllegalArgumentException(name() + "(): Expected reduction dim " + i + " to have non-zero size; input "
                                + Arrays.toString(sh));
                    }
                }
            }
            DType outType = switch (kind) {
                case SUM, PROD -> dt.isFloatingPoint() ? dt : DType.INT64;
                default -> dt;
            };
            Tensor r = reduceRaw(kind, x, mask, outType);
            if (mean) {
                long count = 1;
                int[] sh = x.shape();
                for (int i = 0; i < sh.length; i++) if (mask[i]) count *= sh[i];
                r = Elementwise.binary("mean", org.sinter.kernels.BinaryFn.DIV, r, Tensor.wrappedScalar((double) count), r.dtype());
            }
            int[] os = outShape(x.shape(), mask, keepDim);
            return new Tensor[] {Tensor.viewOf(r, os, Shape.contiguousStrides(os), 0)};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            int[] inShape = ctx.inputShape(0);
            int[] kept = keptShape(inShape, mask);
            Tensor g = grads[0].reshape(kept);
            return new Tensor[] {switch (kind) {
                case SUM -> {
                    if (!mean) yield g.expand(inShape);
                    long count = 1;
                    for (int i = 0; i < inShape.length; i++) if (mask[i]) count *= inShape[i];
                    yield g.div((double) count).expand(inShape);
                }
                case MAX, MIN -> {
                    Tensor x = ctx.input(0);
                    Tensor out = ctx.output(0).reshape(kept);
                    Tensor hit = x.eq(out).to(g.dtype());
                    yield g.mul(hit).div(hit.sum(dimsOf(mask), true));
                }
                case PROD -> prodBackward(ctx.input(0), ctx.output(0).reshape(kept), g, mask);
            }};
        }
    }

    static int[] dimsOf(boolean[] mask) {
        int k = 0;
        for (boolean b : mask) if (b) k++;
        int[] d = new int[k];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) d[j++] = i;
        return d;
    }

    /** d prod / d x_i = product of the others: out / x where x != 0, else computed by exclusion. */
    private static Tensor prodBackward(Tensor x, Tensor out, Tensor g, boolean[] mask) {
        boolean anyZero;
        try (var _ = org.sinter.GradMode.set(false)) {
            anyZero = x.eq(0.0).any().item() != 0;
        }
        if (!anyZero) return g.mul(out).div(x);
        int[] dims = dimsOf(mask);
        if (dims.length == 1 || x.dim() <= 1) {
            Tensor flat = dims.length == x.dim() && x.dim() != 1 ? x.reshape(-1) : x;
            int d = flat == x ? dims[0] : 0;
            int r = flat.shape()[d];
            java.util.List<Tensor> parts = new java.util.ArrayList<>();
            for (int i = 0; i < r; i++) {
                Tensor others = Tensor.cat(java.util.List.of(flat.narrow(d, 0, i), flat.narrow(d, i + 1, r - i - 1)), d);
                parts.add(others.prod(d, true));
            }
            Tensor excl = Tensor.cat(parts, d).reshape(x.shape());
            return g.mul(excl);
        }
        throw new UnsupportedOperationException("prod: the gradient over several dims of an input containing zeros is not implemented");
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
        int[] kept = keptShape(sh, mask);
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
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        long acc = switch (kind) { case SUM -> 0; case PROD -> 1; case MAX -> Long.MIN_VALUE; case MIN -> Long.MAX_VALUE; };
                        for (int k = 0; k < r; k++) {
                            long v = x[xo + (o * r + k) * inner + i];
                            acc = switch (kind) { case SUM -> acc + v; case PROD -> acc * v; case MAX -> Math.max(acc, v); case MIN -> Math.min(acc, v); };
                        }
                        y[o * inner + i] = acc;
                    }
                }
            }
            default -> throw new IllegalStateException("no reduction kernel for " + out.dtype());
        }
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new ReduceOp(Kind.SUM, mask("sum", x, dims), keepDim, false), x);
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new ReduceOp(Kind.SUM, mask("mean", x, dims), keepDim, true), x);
    }

    public static Tensor prod(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new ReduceOp(Kind.PROD, mask("prod", x, dims), keepDim, false), x);
    }

    public static Tensor amax(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new ReduceOp(Kind.MAX, mask("amax", x, dims), keepDim, false), x);
    }

    public static Tensor amin(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new ReduceOp(Kind.MIN, mask("amin", x, dims), keepDim, false), x);
    }

    /** Sums away broadcast dimensions so the result has {@code shape} (gradients of broadcasts). */
    public static Tensor sumToSize(Tensor x, int[] shape) {
        int[] sh = x.shape();
        if (Arrays.equals(sh, shape)) return x;
        if (!Shape.broadcastableTo(shape, sh)) {
            throw new IllegalArgumentException("sumToSize: size " + Arrays.toString(shape) + " is not expandable to size " + Arrays.toString(sh));
        }
        int lead = sh.length - shape.length;
        int[] dims = new int[sh.length];
        int k = 0;
        for (int i = 0; i < sh.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && sh[i] != 1)) dims[k++] = i;
        }
        Tensor r = k == 0 ? x : sum(x, Arrays.copyOf(dims, k), true);
        return r.reshape(shape);
    }

    public static Tensor any(Tensor x) {
        if (x.numel() == 0) return Tensor.scalar(0, DType.BOOL);
        Tensor nz = x.ne(0.0);
        return amax(nz.to(DType.INT64), null, false).gt(0.0);
    }

    public static Tensor all(Tensor x) {
        if (x.numel() == 0) return Tensor.scalar(1, DType.BOOL);
        Tensor nz = x.ne(0.0);
        return amin(nz.to(DType.INT64), null, false).gt(0.0);
    }

    /** max/min along one dim with indices; the gradient goes to the selected positions only. */
    public static ValuesIndices maxWithIndices(Tensor x, int dim, boolean keepDim, boolean max) {
        Tensor idx = argmax(x, dim, true, max);
        Tensor values = x.dim() == 0 ? x : IndexOps.gather(x, dim, idx);
        if (!keepDim && x.dim() > 0) {
            values = values.squeeze(dim);
            idx = idx.squeeze(dim);
        }
        return new ValuesIndices(values, idx);
    }

    /** argmax/argmin over one dim (or the flattened tensor when dim is null); int64, no gradient. */
    public static Tensor argmax(Tensor x, Integer dim, boolean keepDim, boolean max) {
        String name = max ? "argmax" : "argmin";
        Integer d = dim == null ? null : (x.dim() == 0 ? 0 : Shape.wrapDim(name, dim, x.dim()));
        return Dispatch.apply1(new CompareOps.BoolOp(name, in -> {
            Tensor t = in[0];
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
        }), x);
    }

    private static int[] onesLike(int n) {
        int[] s = new int[n];
        Arrays.fill(s, 1);
        return s;
    }

    /** Variance with {@code correction} (Bessel's when 1): two passes, composed of primitives. */
    public static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("var: only floating point inputs are supported, got " + x.describe());
        }
        boolean[] m = mask("var", x, dims);
        int[] d = dimsOf(m);
        long count = 1;
        for (int i : d) count *= x.shape()[i];
        Tensor centered = x.sub(x.mean(d, true));
        Tensor ss = centered.mul(centered).sum(d, keepDim);
        return ss.div((double) Math.max(0, count - correction));
    }

    /** log(sum(exp(x))) over dims, stable: the max is subtracted first (it needs no gradient). */
    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(DType.FLOAT32);
        int[] d = dimsOf(mask("logsumexp", xf, dims));
        if (xf.numel() == 0) return xf.exp().sum(d, keepDim).log();
        Tensor m = xf.detach().amax(d, true);
        m = Tensor.where(m.isfinite(), m, Tensor.scalar(0, m.dtype()));
        Tensor r = xf.sub(m).exp().sum(d, true).log().add(m);
        return keepDim ? r : ViewOps.squeeze(r, d);
    }

    /** p-norm over dims; p may be 0, ±infinity or any positive real. */
    public static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException("norm: expected a floating point tensor, got " + x.describe());
        int[] d = dimsOf(mask("norm", x, dims));
        if (p == Double.POSITIVE_INFINITY) return x.abs().amax(d, keepDim);
        if (p == Double.NEGATIVE_INFINITY) return x.abs().amin(d, keepDim);
        if (p == 0) return x.ne(0.0).to(x.dtype()).sum(d, keepDim);
        if (p == 1) return x.abs().sum(d, keepDim);
        return Dispatch.apply1(new NormOp(p, mask("norm", x, dims), keepDim), x);
    }

    /** The p-norm as one op, so its gradient at zero is 0 (not NaN), as in PyTorch. */
    static final class NormOp extends Op {
        final double p;
        final boolean[] mask;
        final boolean keepDim;

        NormOp(double p, boolean[] mask, boolean keepDim) {
            this.p = p;
            this.mask = mask;
            this.keepDim = keepDim;
        }

        @Override public String name() { return "norm"; }

        @Override public Map<String, Object> attributes() { return Map.of("p", p, "dim", dimsOf(mask), "keepdim", keepDim); }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0];
            int[] d = dimsOf(mask);
            Tensor r = p == 2 ? x.mul(x).sum(d, keepDim).sqrt() : x.abs().pow(p).sum(d, keepDim).pow(1 / p);
            return new Tensor[] {r};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor x = ctx.input(0);
            int[] kept = keptShape(ctx.inputShape(0), mask);
            Tensor n = ctx.output(0).reshape(kept);
            Tensor g = grads[0].reshape(kept);
            Tensor safe = Tensor.where(n.eq(0.0), Tensor.scalar(1, n.dtype()), n);
            Tensor scale;
            if (p == 2) scale = x.div(safe);
            else scale = x.mul(x.abs().pow(p - 2)).div(safe.pow(p - 1));
            return new Tensor[] {Tensor.where(n.eq(0.0), Tensor.scalar(0, g.dtype()), g.mul(scale))};
        }
    }

    /** Cumulative sum along dim; the gradient is the reversed cumulative sum of the gradient. */
    public static Tensor cumsum(Tensor x, int dim) {
        int d = Shape.wrapDim("cumsum", dim, x.dim());
        return Dispatch.apply1(new CumsumOp(d), x);
    }

    static final class CumsumOp extends Op {
        final int dim;

        CumsumOp(int dim) { this.dim = dim; }

        @Override public String name() { return "cumsum"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0];
            DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
            DType ct = outType.computeType();
            Tensor xc = Copy.dense(x, ct);
            Tensor out = Tensor.empty(ct, x.shape());
            int[] sh = x.shape();
            if (sh.length == 0) { Copy.copyInto(out, xc); return new Tensor[] {Copy.dense(out, outType)}; }
            int outer = 1, r = sh[dim], inner = 1;
            for (int i = 0; i < dim; i++) outer *= sh[i];
            for (int i = dim + 1; i < sh.length; i++) inner *= sh[i];
            int xo = xc.storageOffset();
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    switch (ct) {
                        case FLOAT32 -> {
                            float[] a = xc.storage().floats(), y = out.storage().floats();
                            float acc = 0;
                            for (int k = 0; k < r; k++) { int p = (o * r + k) * inner + i; acc += a[xo + p]; y[p] = acc; }
                        }
                        case FLOAT64 -> {
                            double[] a = xc.storage().doubles(), y = out.storage().doubles();
                            double acc = 0;
                            for (int k = 0; k < r; k++) { int p = (o * r + k) * inner + i; acc += a[xo + p]; y[p] = acc; }
                        }
                        default -> {
                            long[] a = xc.storage().longs(), y = out.storage().longs();
                            long acc = 0;
                            for (int k = 0; k < r; k++) { int p = (o * r + k) * inner + i; acc += a[xo + p]; y[p] = acc; }
                        }
                    }
                }
            }
            return new Tensor[] {ct == outType ? out : Copy.dense(out, outType)};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            if (g[0].dim() == 0) return new Tensor[] {g[0]};
            return new Tensor[] {g[0].flip(dim).cumsum(dim).flip(dim)};
        }
    }
}
