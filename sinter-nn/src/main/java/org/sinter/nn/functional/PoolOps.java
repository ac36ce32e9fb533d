package org.sinter.nn.functional;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.pool.PoolKernels;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;
import org.sinter.kernels.pool.PoolWindows;
import org.sinter.ops.Copy;
import org.sinter.ops.Op;

/**
 * Pooling operators over the last two dimensions (any leading dimensions are planes). Their
 * gradients are operators too: max pooling's is a scatter through the saved indices, whose own
 * gradient is a gather; average pooling's is the adjoint spread, whose gradient is the average
 * pool again. So both differentiate twice.
 */
final class PoolOps {
    private PoolOps() {}

    static DType computeType(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating point input, got " + x.describe());
        return x.dtype().computeType();
    }

    static int[] withPlane(int[] shape, int oh, int ow) {
        int[] s = shape.clone();
        s[s.length - 2] = oh;
        s[s.length - 1] = ow;
        return s;
    }

    static int planes(int[] shape) {
        int p = 1;
        for (int i = 0; i < shape.length - 2; i++) p *= shape[i];
        return p;
    }

    /** Outputs: the maxima and their int64 flat in-plane indices. */
    static final class MaxPool2dOp extends Op {
        final MaxGeometry g;

        MaxPool2dOp(MaxGeometry g) { this.g = g; }

        @Override public String name() { return "max_pool2d_with_indices"; }

        @Override
        public Map<String, Object> attributes() {
            return Map.of("kernel_size", java.util.List.of(g.kh(), g.kw()), "stride", java.util.List.of(g.sh(), g.sw()),
                    "padding", java.util.List.of(g.ph(), g.pw()), "dilation", java.util.List.of(g.dh(), g.dw()));
        }

        @Override public boolean savesInputs() { return false; }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType ct = computeType("max_pool2d", in[0]);
            Tensor x = Copy.dense(in[0], ct);
            int[] os = withPlane(x.shape(), g.oh(), g.ow());
            int planes = planes(os);
            Tensor y = Tensor.empty(ct, os), idx = Tensor.empty(DType.INT64, os);
            long[] id = idx.storage().longs();
            if (ct == DType.FLOAT32) PoolKernels.maxPool(g, planes, x.storage().floats(), x.storageOffset(), y.storage().floats(), id);
            else PoolKernels.maxPool(g, planes, x.storage().doubles(), x.storageOffset(), y.storage().doubles(), id);
            return new Tensor[] {ConvOps.castBack(y, in[0].dtype()), idx};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            return new Tensor[] {Dispatch.apply1(new MaxPoolBackwardOp(ctx.inputShape(0)), grads[0], ctx.output(1))};
        }
    }

    /** {@code gx = scatter-add of gy at the indices} into zeros of the input's shape. */
    static final class MaxPoolBackwardOp extends Op {
        final int[] inputShape;

        MaxPoolBackwardOp(int[] inputShape) { this.inputShape = inputShape; }

        @Override public String name() { return "max_pool2d_with_indices_backward"; }

        @Override public Map<String, Object> attributes() { return Map.of("input_size", Arrays.toString(inputShape)); }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType ct = computeType("max_pool2d_backward", in[0]);
            Tensor gy = Copy.dense(in[0], ct), idx = Copy.dense(in[1], DType.INT64);
            int[] ys = gy.shape();
            int hw = inputShape[inputShape.length - 2] * inputShape[inputShape.length - 1];
            int ohw = ys[ys.length - 2] * ys[ys.length - 1];
            Tensor gx = Tensor.empty(ct, inputShape);
            if (ct == DType.FLOAT32) {
                PoolKernels.maxPoolBackward(planes(ys), hw, ohw, gy.storage().floats(), gy.storageOffset(), idx.storage().longs(),
                        idx.storageOffset(), gx.storage().floats());
            } else {
                PoolKernels.maxPoolBackward(planes(ys), hw, ohw, gy.storage().doubles(), gy.storageOffset(), idx.storage().longs(),
                        idx.storageOffset(), gx.storage().doubles());
            }
            return new Tensor[] {ConvOps.castBack(gx, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            // Linear in gy: the adjoint of a scatter is a gather at the same indices.
            Tensor idx = ctx.input(1);
            int nd = idx.dim();
            Tensor flatG = grads[0].flatten(nd - 2, nd - 1), flatI = idx.flatten(nd - 2, nd - 1);
            return new Tensor[] {flatG.gather(nd - 2, flatI).view(idx.shape()), null};
        }
    }

    /** Average pooling over {@link PoolWindows}. */
    static final class AvgPool2dOp extends Op {
        final String name;
        final PoolWindows wd;

        AvgPool2dOp(String name, PoolWindows wd) {
            this.name = name;
            this.wd = wd;
        }

        @Override public String name() { return name; }

        @Override public Map<String, Object> attributes() { return Map.of("output_size", java.util.List.of(wd.oh(), wd.ow())); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType ct = computeType(name, in[0]);
            Tensor x = Copy.dense(in[0], ct);
            int[] os = withPlane(x.shape(), wd.oh(), wd.ow());
            Tensor y = Tensor.empty(ct, os);
            if (ct == DType.FLOAT32) PoolKernels.avgPool(wd, planes(os), x.storage().floats(), x.storageOffset(), y.storage().floats());
            else PoolKernels.avgPool(wd, planes(os), x.storage().doubles(), x.storageOffset(), y.storage().doubles());
            return new Tensor[] {ConvOps.castBack(y, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            return new Tensor[] {Dispatch.apply1(new AvgPoolBackwardOp(name, wd, ctx.inputShape(0)), grads[0])};
        }
    }

    /** The adjoint of {@link AvgPool2dOp}; its own gradient is the average pool. */
    static final class AvgPoolBackwardOp extends Op {
        final String name;
        final PoolWindows wd;
        final int[] inputShape;

        AvgPoolBackwardOp(String name, PoolWindows wd, int[] inputShape) {
            this.name = name;
            this.wd = wd;
            this.inputShape = inputShape;
        }

        @Override public String name() { return name + "_backward"; }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType ct = computeType(name(), in[0]);
            Tensor gy = Copy.dense(in[0], ct);
            Tensor gx = Tensor.empty(ct, inputShape);
            int planes = planes(inputShape);
            if (ct == DType.FLOAT32) PoolKernels.avgPoolBackward(wd, planes, gy.storage().floats(), gy.storageOffset(), gx.storage().floats());
            else PoolKernels.avgPoolBackward(wd, planes, gy.storage().doubles(), gy.storageOffset(), gx.storage().doubles());
            return new Tensor[] {ConvOps.castBack(gx, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            return new Tensor[] {Dispatch.apply1(new AvgPool2dOp(name, wd), grads[0])};
        }
    }
}
