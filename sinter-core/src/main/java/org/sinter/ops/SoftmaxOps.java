package org.sinter.ops;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.SoftmaxKernels;

/**
 * softmax and logSoftmax as fused kernels (one op each; measured faster than the composite
 * exp/sum/div). The composite definitions remain the reference in the tests; the gradients are
 * written with primitives: y * (g - sum(g*y)) and g - exp(y) * sum(g).
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    public static Tensor softmax(Tensor x, int dim, boolean log) {
        int d = Shape.wrapDim(log ? "log_softmax" : "softmax", dim, x.dim());
        return Dispatch.apply1(new SoftmaxOp(d, log), x);
    }

    static final class SoftmaxOp extends Op {
        final int dim;
        final boolean log;

        SoftmaxOp(int dim, boolean log) {
            this.dim = dim;
            this.log = log;
        }

        @Override public String name() { return log ? "log_softmax" : "softmax"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return false; }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor x = in[0];
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
            return new Tensor[] {ct == outType ? out : Copy.dense(out, outType)};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor y = ctx.output(0), g = grads[0];
            if (log) return new Tensor[] {g.sub(y.exp().mul(g.sum(dim, true)))};
            return new Tensor[] {y.mul(g.sub(g.mul(y).sum(dim, true)))};
        }
    }
}
