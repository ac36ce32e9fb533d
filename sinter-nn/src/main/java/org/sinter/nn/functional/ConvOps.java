package org.sinter.nn.functional;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.ConvKernels;
import org.sinter.ops.Copy;
import org.sinter.ops.Op;

/**
 * The 2-D convolution as three operators that are each other's gradients, so every derivative,
 * of any order, is again a convolution:
 * <ul>
 *   <li>{@code conv2d(x, w[, b])}: gradients {@code convTranspose2d(gy, w)},
 *       {@code conv2dWeight(x, gy)} and {@code gy.sum(0, 2, 3)};</li>
 *   <li>{@code convTranspose2d(y, w[, b])} (the adjoint in x): gradients {@code conv2d(gx, w)},
 *       {@code conv2dWeight(gx, y)} and {@code gx.sum(0, 2, 3)};</li>
 *   <li>{@code conv2dWeight(x, gy)} (the adjoint in w, bilinear): gradients
 *       {@code convTranspose2d(gy, ggw)} and {@code conv2d(x, ggw)}.</li>
 * </ul>
 * All three share one {@link ConvGeometry}; 1-D convolutions are 2-D ones of height 1.
 */
final class ConvOps {
    private ConvOps() {}

    static Tensor conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor b) {
        return b == null ? Dispatch.apply1(new Conv2dOp(g), x, w) : Dispatch.apply1(new Conv2dOp(g), x, w, b);
    }

    static Tensor convTranspose2d(ConvGeometry g, Tensor y, Tensor w, Tensor b) {
        return b == null ? Dispatch.apply1(new ConvTranspose2dOp(g), y, w) : Dispatch.apply1(new ConvTranspose2dOp(g), y, w, b);
    }

    static Tensor conv2dWeight(ConvGeometry g, Tensor x, Tensor gy) {
        return Dispatch.apply1(new Conv2dWeightOp(g), x, gy);
    }

    /** The dtype kernels compute in for these operands (which must share one floating dtype). */
    static DType computeType(String op, Tensor... ts) {
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

    static Tensor dense(Tensor t, DType ct) {
        return t == null ? null : Copy.dense(t, ct);
    }

    static Object data(Tensor t) {
        return t == null ? null : t.storage().array();
    }

    static int off(Tensor t) {
        return t == null ? 0 : t.storageOffset();
    }

    static Tensor castBack(Tensor out, DType dt) {
        return out.dtype() == dt ? out : Copy.dense(out, dt);
    }

    static Tensor biasGrad(Tensor g) {
        return g.sum(new int[] {0, 2, 3}, false);
    }

    /** {@code y = conv(x, w) + b}. */
    static final class Conv2dOp extends Op {
        final ConvGeometry g;

        Conv2dOp(ConvGeometry g) { this.g = g; }

        @Override public String name() { return "conv2d"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor b0 = in.length > 2 ? in[2] : null;
            DType ct = computeType("conv2d", in[0], in[1], b0);
            Tensor x = dense(in[0], ct), w = dense(in[1], ct), b = dense(b0, ct);
            int n = x.size(0);
            Tensor y = Tensor.empty(ct, n, g.k(), g.oh(), g.ow());
            ConvKernels.conv(ct, g, n, data(x), off(x), data(w), off(w), data(b), off(b), data(y), 0);
            return new Tensor[] {castBack(y, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor gy = grads[0];
            Tensor gx = ctx.needsInputGrad(0) ? convTranspose2d(g, gy, ctx.input(1), null) : null;
            Tensor gw = ctx.needsInputGrad(1) ? conv2dWeight(g, ctx.input(0), gy) : null;
            Tensor gb = ctx.numInputs() > 2 && ctx.needsInputGrad(2) ? biasGrad(gy) : null;
            return ctx.numInputs() > 2 ? new Tensor[] {gx, gw, gb} : new Tensor[] {gx, gw};
        }
    }

    /** {@code x = convTranspose(y, w) + b}: the input-adjoint of {@link Conv2dOp}. */
    static final class ConvTranspose2dOp extends Op {
        final ConvGeometry g;

        ConvTranspose2dOp(ConvGeometry g) { this.g = g; }

        @Override public String name() { return "conv_transpose2d"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor b0 = in.length > 2 ? in[2] : null;
            DType ct = computeType("conv_transpose2d", in[0], in[1], b0);
            Tensor y = dense(in[0], ct), w = dense(in[1], ct), b = dense(b0, ct);
            int n = y.size(0);
            Tensor x = Tensor.empty(ct, n, g.c(), g.h(), g.w());
            ConvKernels.convTranspose(ct, g, n, data(y), off(y), data(w), off(w), data(b), off(b), data(x), 0);
            return new Tensor[] {castBack(x, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor gx = grads[0];
            Tensor gy = ctx.needsInputGrad(0) ? conv2d(g, gx, ctx.input(1), null) : null;
            Tensor gw = ctx.needsInputGrad(1) ? conv2dWeight(g, gx, ctx.input(0)) : null;
            Tensor gb = ctx.numInputs() > 2 && ctx.needsInputGrad(2) ? biasGrad(gx) : null;
            return ctx.numInputs() > 2 ? new Tensor[] {gy, gw, gb} : new Tensor[] {gy, gw};
        }
    }

    /** {@code gw = Σ_n gy_n ⋆ x_n}: the weight-adjoint of {@link Conv2dOp}, bilinear in (x, gy). */
    static final class Conv2dWeightOp extends Op {
        final ConvGeometry g;

        Conv2dWeightOp(ConvGeometry g) { this.g = g; }

        @Override public String name() { return "conv2d_weight"; }

        @Override public Map<String, Object> attributes() { return g.attributes(); }

        @Override
        public Tensor[] forward(Tensor... in) {
            DType ct = computeType("conv2d_weight", in[0], in[1]);
            Tensor x = dense(in[0], ct), gy = dense(in[1], ct);
            Tensor gw = Tensor.empty(ct, g.k(), g.cg(), g.kh(), g.kw());
            ConvKernels.weightGrad(ct, g, x.size(0), data(x), off(x), data(gy), off(gy), data(gw));
            return new Tensor[] {castBack(gw, in[0].dtype())};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor ggw = grads[0];
            Tensor gx = ctx.needsInputGrad(0) ? convTranspose2d(g, ctx.input(1), ggw, null) : null;
            Tensor ggy = ctx.needsInputGrad(1) ? conv2d(g, ctx.input(0), ggw, null) : null;
            return new Tensor[] {gx, ggy};
        }
    }
}
