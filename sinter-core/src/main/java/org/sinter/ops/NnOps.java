package org.sinter.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;
import org.sinter.kernels.pool.PoolWindows;

/**
 * The neural-network primitives: 2-D convolution and its two adjoints (each other's gradients,
 * so every derivative of any order is again a convolution), max and average pooling with their
 * gradients, and embedding lookup with its gradient. Argument handling (padding modes, 1-D
 * forms, module state) stays in {@code sinter-nn}; these are the ops it calls.
 */
public final class NnOps {
    private NnOps() {}

    /** The dtype kernels compute in for these operands (which must share one floating dtype). */
    public static DType computeType(String op, Tensor... ts) {
        DType dt = ts[0].dtype();
        for (Tensor t : ts) {
            if (t != null && t.dtype() != dt) {
                throw new IllegalArgumentException(op + ": expected all operands to have the same dtype, got "
                        + ts[0].describe() + " and " + t.describe());
            }
        }
        if (!dt.isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating point input, got " + ts[0].describe());
        return dt.computeType();
    }

    /** {@code shape} with its last two sizes replaced by oh, ow (a pooled or convolved plane). */
    public static int[] withPlane(int[] shape, int oh, int ow) {
        int[] s = shape.clone();
        s[s.length - 2] = oh;
        s[s.length - 1] = ow;
        return s;
    }

    /**
     * The hyper-parameters of a convolution geometry, checked in the meta function of each of its
     * three ops: a geometry built by hand (not by {@code F.conv2d}) must not divide by zero either.
     */
    static void checkGeometry(String op, ConvGeometry g) {
        WindowArgs.window(op, new int[] {g.kh(), g.kw()}, new int[] {g.sh(), g.sw()}, new int[] {g.ph(), g.pw()},
                new int[] {g.dh(), g.dw()});
        WindowArgs.groups(op, g.groups());
        if (g.c() % g.groups() != 0 || g.k() % g.groups() != 0) {
            throw new IllegalArgumentException(op + ": groups=" + g.groups() + " must divide the input channels (" + g.c()
                    + ") and the output channels (" + g.k() + ")");
        }
    }

    /** {@code y = conv(x, w) + b}: inputs x [n, c, h, w], w [k, c/groups, kh, kw] and optionally b [k]. */
    public record Conv2d(ConvGeometry g) implements Op {
        @Override public String name() { return "conv2d"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkGeometry(name(), g);
            computeType(name(), in[0], in[1], in.length > 2 ? in[2] : null);
            return Op.one(new int[] {in[0].size(0), g.k(), g.oh(), g.ow()}, in[0].dtype());
        }
    }

    /** {@code x = convTranspose(y, w) + b}: the input-adjoint of {@link Conv2d}. */
    public record ConvTranspose2d(ConvGeometry g) implements Op {
        @Override public String name() { return "conv_transpose2d"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkGeometry(name(), g);
            computeType(name(), in[0], in[1], in.length > 2 ? in[2] : null);
            return Op.one(new int[] {in[0].size(0), g.c(), g.h(), g.w()}, in[0].dtype());
        }
    }

    /** {@code gw = Σ_n gy_n ⋆ x_n}: the weight-adjoint of {@link Conv2d}, bilinear in (x, gy). */
    public record Conv2dWeight(ConvGeometry g) implements Op {
        @Override public String name() { return "conv2d_weight"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            checkGeometry(name(), g);
            computeType(name(), in[0], in[1]);
            return Op.one(new int[] {g.k(), g.cg(), g.kh(), g.kw()}, in[0].dtype());
        }
    }

    /** Outputs: the maxima and their int64 flat in-plane indices. */
    public record MaxPool2d(MaxGeometry g) implements Op {
        @Override public String name() { return "max_pool2d_with_indices"; }

        @Override
        public Map<String, Object> attributes() {
            return Map.of("kernel_size", List.of(g.kh(), g.kw()), "stride", List.of(g.sh(), g.sw()),
                    "padding", List.of(g.ph(), g.pw()), "dilation", List.of(g.dh(), g.dw()));
        }

        @Override public boolean savesInputs() { return false; }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            WindowArgs.poolWindow("max_pool2d", new int[] {g.kh(), g.kw()}, new int[] {g.sh(), g.sw()},
                    new int[] {g.ph(), g.pw()}, new int[] {g.dh(), g.dw()});
            computeType("max_pool2d", in[0]);
            int[] os = withPlane(in[0].shape(), g.oh(), g.ow());
            return new TensorSpec[] {new TensorSpec(os, in[0].dtype()), new TensorSpec(os, DType.INT64)};
        }
    }

    /** {@code gx = scatter-add of gy at the indices} into zeros of the input's shape. */
    public record MaxPoolBackward(Ints inputShape) implements Op {
        @Override public String name() { return "max_pool2d_with_indices_backward"; }

        @Override public Map<String, Object> attributes() { return Map.of("input_size", inputShape.toString()); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            computeType("max_pool2d_backward", in[0]);
            return Op.one(inputShape.toArray(), in[0].dtype());
        }
    }

    /** Average pooling over {@link PoolWindows} (avg_pool2d and adaptive_avg_pool2d). */
    public record AvgPool2d(String name, PoolWindows wd) implements Op {
        @Override public Map<String, Object> attributes() { return Map.of("output_size", List.of(wd.oh(), wd.ow())); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            computeType(name, in[0]);
            return Op.one(withPlane(in[0].shape(), wd.oh(), wd.ow()), in[0].dtype());
        }
    }

    /** The adjoint of {@link AvgPool2d}; its own gradient is the average pool. */
    public record AvgPoolBackward(String pool, PoolWindows wd, Ints inputShape) implements Op {
        @Override public String name() { return pool + "_backward"; }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            computeType(name(), in[0]);
            return Op.one(inputShape.toArray(), in[0].dtype());
        }
    }

    /** {@code out[..., :] = weight[idx[...], :]}; with {@code zeroPadding}, rows at padding_idx read as 0. */
    public record Embedding(int pad, boolean zeroPadding) implements Op {
        /** Marks "no padding index" (PyTorch's None). */
        public static final int NO_PADDING = Integer.MIN_VALUE;

        @Override public String name() { return "embedding"; }

        @Override public Map<String, Object> attributes() { return Map.of("padding_idx", pad == NO_PADDING ? "None" : pad); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            int[] shape = Arrays.copyOf(in[1].shape(), in[1].dim() + 1);
            shape[in[1].dim()] = in[0].size(1);
            return Op.one(shape, in[0].dtype());
        }
    }

    /** {@code gw[idx[i], :] += g[i, :]} into zeros of {@code [numWeights, d]}, skipping padding_idx. */
    public record EmbeddingBackward(int pad, int numWeights) implements Op {
        @Override public String name() { return "embedding_dense_backward"; }

        @Override public Map<String, Object> attributes() { return Map.of("num_weights", numWeights); }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(new int[] {numWeights, in[0].size(-1)}, in[0].dtype());
        }
    }

    public static Tensor conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor b) {
        return b == null ? Dispatch.apply1(new Conv2d(g), x, w) : Dispatch.apply1(new Conv2d(g), x, w, b);
    }

    public static Tensor convTranspose2d(ConvGeometry g, Tensor y, Tensor w, Tensor b) {
        return b == null ? Dispatch.apply1(new ConvTranspose2d(g), y, w) : Dispatch.apply1(new ConvTranspose2d(g), y, w, b);
    }

    public static Tensor conv2dWeight(ConvGeometry g, Tensor x, Tensor gy) {
        return Dispatch.apply1(new Conv2dWeight(g), x, gy);
    }

    /** Max pooling: the maxima and their indices. */
    public static Tensor[] maxPool2d(MaxGeometry g, Tensor x) {
        return Dispatch.apply(new MaxPool2d(g), x);
    }

    public static Tensor avgPool2d(String name, PoolWindows wd, Tensor x) {
        return Dispatch.apply1(new AvgPool2d(name, wd), x);
    }

    public static Tensor embedding(Tensor weight, Tensor indices, int pad) {
        return Dispatch.apply1(new Embedding(pad, false), weight, indices);
    }
}
