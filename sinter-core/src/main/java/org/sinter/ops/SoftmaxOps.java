package org.sinter.ops;

import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * softmax and logSoftmax as fused kernels (one op each; measured faster than the composite
 * exp/sum/div). The composite definitions remain the reference in the tests; the gradients are
 * written with primitives (see {@link Derivatives}).
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    public record Softmax(int dim, boolean log) implements Op {
        @Override public String name() { return log ? "log_softmax" : "softmax"; }

        @Override public Map<String, Object> attributes() { return Map.of("dim", dim); }

        @Override public boolean savesInputs() { return false; }

        @Override public boolean savesOutputs() { return true; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(in[0].shape(), TypePromotion.toFloating(in[0].dtype()));
        }
    }

    public static Tensor softmax(Tensor x, int dim, boolean log) {
        int d = Shape.wrapDim(log ? "log_softmax" : "softmax", dim, x.dim());
        return Dispatch.apply1(new Softmax(d, log), x);
    }
}
