package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.ValuesIndices;

/**
 * Reductions over any set of dimensions (sum, mean, prod, amax, amin, argmax/argmin, norm,
 * cumsum) and the composites built on them (var, std, logsumexp, max/min with indices, any, all).
 */
public final class ReduceOps {
    private ReduceOps() {}

    public enum Kind { SUM, PROD, MAX, MIN }

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

    public static int[] outShape(int[] shape, boolean[] mask, boolean keepDim) {
        int k = 0;
        for (int i = 0; i < shape.length; i++) if (keepDim || !mask[i]) k++;
        int[] out = new int[k];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (mask[i]) { if (keepDim) out[j++] = 1; } else out[j++] = shape[i];
        }
        return out;
    }

    public static int[] keptShape(int[] shape, boolean[] mask) {
        return outShape(shape, mask, true);
    }

    public static int[] dimsOf(boolean[] mask) {
        int k = 0;
        for (boolean b : mask) if (b) k++;
        int[] d = new int[k];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) d[j++] = i;
        return d;
    }

    /** The mask of {@code dims} (sorted, non-negative) over a tensor of rank {@code rank}. */
    public static boolean[] maskOf(Ints dims, int rank) {
        boolean[] m = new boolean[rank];
        for (int d : dims.values()) m[d] = true;
        return m;
    }

    /**
     * One reduction: kind, the reduced dims (sorted, non-negative), keepDim, mean for SUM, and the
     * name of the public operation it computes. Several share one primitive (amax, max() and the
     * infinity norm are all a MAX reduction), and the name is what errors and profiles report.
     */
    public record Reduce(Kind kind, Ints dims, boolean keepDim, boolean mean, String name) implements Op {
        /** The reduction under its own name: sum, mean, prod, amax or amin. */
        public Reduce(Kind kind, Ints dims, boolean keepDim, boolean mean) {
            this(kind, dims, keepDim, mean, mean ? "mean" : switch (kind) {
                case SUM -> "sum"; case PROD -> "prod"; case MAX -> "amax"; case MIN -> "amin";
            });
        }

        @Override
        public Map<String, Object> attributes() {
            return Map.of("dim", dims.toArray(), "keepdim", keepDim);
        }

        @Override public boolean savesInputs() { return kind != Kind.SUM; }

        @Override public boolean savesOutputs() { return kind != Kind.SUM; }

        /** The result dtype: sums and products of integers and bools are int64. */
        public DType outType(DType dt) {
            return switch (kind) {
                case SUM, PROD -> dt.isFloatingPoint() ? dt : DType.INT64;
                default -> dt;
            };
        }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            Tensor x = in[0];
            DType dt = x.dtype();
            if (mean && !dt.isFloatingPoint()) {
                throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: " + dt.name());
            }
            boolean[] mask = maskOf(dims, x.dim());
            int[] sh = x.shape();
            if ((kind == Kind.MAX || kind == Kind.MIN) && x.numel() == 0) {
                for (int i = 0; i < sh.length; i++) {
                    if (mask[i] && sh[i] == 0) {
                        throw new IllegalArgumentException(name() + "(): Expected reduction dim " + i + " to have non-zero size; input "
                                + Arrays.toString(sh));
                    }
                }
            }
            return Op.one(outShape(sh, mask, keepDim), outType(dt));
        }
    }

    /**
     * argmax/argmin over one dim, or over the flattened tensor when {@code dim} is null; int64.
     * {@code name} is the public operation computed (max/min with indices are an argmax and a
     * gather), which errors name.
     */
    public record ArgReduce(boolean max, Integer dim, boolean keepDim, String name) implements Op {
        /** argmax or argmin under its own name. */
        public ArgReduce(boolean max, Integer dim, boolean keepDim) {
            this(max, dim, keepDim, max ? "argmax" : "argmin");
        }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim == null ? "None" : dim, "keepdim", keepDim); }

        @Override public boolean differentiable() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            Tensor t = in[0];
            if (t.numel() == 0 && (dim == null || t.dim() == 0)) {
                throw new IllegalArgumentException(name() + "(): Expected reduction dim to be specified for input.numel() == 0");
            }
            if (dim == null) return Op.one(keepDim ? onesLike(t.dim()) : new int[0], DType.INT64);
            if (t.dim() == 0) return Op.one(new int[0], DType.INT64);
            int[] sh = t.shape();
            if (sh[dim] == 0) throw new IllegalArgumentException(name() + "(): Expected reduction dim " + dim + " to have non-zero size");
            boolean[] m = new boolean[sh.length];
            m[dim] = true;
            return Op.one(outShape(sh, m, keepDim), DType.INT64);
        }
    }

    /** The p-norm as one op, so its gradient at zero is 0 (not NaN), as in PyTorch. */
    public record Norm(double p, Ints dims, boolean keepDim) implements Op {
        @Override public String name() { return "norm"; }

        @Override public Map<String, Object> attributes() { return Map.of("p", p, "dim", dims.toArray(), "keepdim", keepDim); }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(outShape(in[0].shape(), maskOf(dims, in[0].dim()), keepDim), in[0].dtype());
        }
    }

    /** Cumulative sum along dim (float32 accumulates in double, as PyTorch's CPU kernel). */
    public record Cumsum(int dim) implements Op {
        @Override public String name() { return "cumsum"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(in[0].shape(), in[0].dtype().isFloatingPoint() ? in[0].dtype() : DType.INT64);
        }
    }

    private static Ints dims(String op, Tensor x, int[] dims) {
        return Ints.of(dimsOf(mask(op, x, dims)));
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new Reduce(Kind.SUM, dims("sum", x, dims), keepDim, false), x);
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new Reduce(Kind.SUM, dims("mean", x, dims), keepDim, true), x);
    }

    public static Tensor prod(Tensor x, int[] dims, boolean keepDim) {
        return Dispatch.apply1(new Reduce(Kind.PROD, dims("prod", x, dims), keepDim, false), x);
    }

    public static Tensor amax(Tensor x, int[] dims, boolean keepDim) {
        return extreme("amax", Kind.MAX, x, dims, keepDim);
    }

    public static Tensor amin(Tensor x, int[] dims, boolean keepDim) {
        return extreme("amin", Kind.MIN, x, dims, keepDim);
    }

    /** The largest element ({@code max()}, no dim). */
    public static Tensor max(Tensor x) { return extreme("max", Kind.MAX, x, null, false); }

    /** The smallest element ({@code min()}, no dim). */
    public static Tensor min(Tensor x) { return extreme("min", Kind.MIN, x, null, false); }

    /** A MAX or MIN reduction reported as {@code op}; with no dims, an empty input has nothing to pick from. */
    static Tensor extreme(String op, Kind kind, Tensor x, int[] dims, boolean keepDim) {
        if ((dims == null || dims.length == 0) && x.numel() == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0. "
                    + "Specify the reduction dim with the 'dim' argument.");
        }
        return Dispatch.apply1(new Reduce(kind, dims(op, x, dims), keepDim, false, op), x);
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
        String name = max ? "max" : "min";
        int d = x.dim() == 0 ? 0 : Shape.wrapDim(name, dim, x.dim());
        // The indices primitive is named max/min, so its checks (an empty dim) name the call made.
        Tensor idx = Dispatch.apply1(new ArgReduce(max, d, true, name), x);
        Tensor values = x.dim() == 0 ? x : IndexOps.gather(x, d, idx);
        if (!keepDim && x.dim() > 0) {
            values = values.squeeze(d);
            idx = idx.squeeze(d);
        }
        return new ValuesIndices(values, idx);
    }

    /** argmax/argmin over one dim (or the flattened tensor when dim is null); int64, no gradient. */
    public static Tensor argmax(Tensor x, Integer dim, boolean keepDim, boolean max) {
        String name = max ? "argmax" : "argmin";
        Integer d = dim == null ? null : (x.dim() == 0 ? 0 : Shape.wrapDim(name, dim, x.dim()));
        return Dispatch.apply1(new ArgReduce(max, d, keepDim), x);
    }

    static int[] onesLike(int n) {
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
        if (p == Double.POSITIVE_INFINITY) return extreme("norm", Kind.MAX, x.abs(), d, keepDim);
        if (p == Double.NEGATIVE_INFINITY) return extreme("norm", Kind.MIN, x.abs(), d, keepDim);
        if (p == 0) return x.ne(0.0).to(x.dtype()).sum(d, keepDim);
        if (p == 1) return x.abs().sum(d, keepDim);
        return Dispatch.apply1(new Norm(p, Ints.of(d), keepDim), x);
    }

    /** Cumulative sum along dim; the gradient is the reversed cumulative sum of the gradient. */
    public static Tensor cumsum(Tensor x, int dim) {
        return Dispatch.apply1(new Cumsum(Shape.wrapDim("cumsum", dim, x.dim())), x);
    }
}
