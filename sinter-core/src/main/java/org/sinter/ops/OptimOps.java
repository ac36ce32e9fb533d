package org.sinter.ops;

import java.util.Arrays;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.kernels.optim.AdadeltaKernel;
import org.sinter.kernels.optim.AdamKernel;
import org.sinter.kernels.optim.SgdKernel;

/**
 * The fused optimizer steps as primitives: one pass that reads the gradient once and writes the
 * parameter and its state. The composites in {@code org.sinter.optim} (in-place tensor ops) stay
 * the reference; an optimizer uses these where the backend has a fused kernel for the operands.
 */
public final class OptimOps {
    private OptimOps() {}

    /** Parameter, gradient and state tensors: one floating dtype, one number of elements. */
    static TensorSpec[] check(String op, Tensor... ts) {
        Tensor p = ts[0];
        if (!p.dtype().isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating point parameter, got " + p.describe());
        for (int i = 1; i < ts.length; i++) {
            Tensor t = ts[i];
            if (t != null && (t.dtype() != p.dtype() || !Arrays.equals(t.shape(), p.shape()))) {
                throw new IllegalArgumentException(op + ": operand " + i + " " + t.describe() + " does not match the parameter " + p.describe());
            }
        }
        return new TensorSpec[0];
    }

    private static int[] allButGradient(int n) {
        int[] w = new int[n - 1];
        w[0] = 0;
        for (int i = 2; i < n; i++) w[i - 1] = i;
        return w;
    }

    /** SGD with momentum: inputs param, grad, momentum buffer. */
    public record SgdUpdate(SgdKernel.Hyper h) implements UpdateOp {
        @Override public String name() { return "sgd_step"; }

        @Override public Map<String, Object> attributes() { return Map.of("hyper", h); }

        @Override public TensorSpec[] meta(Tensor... in) { return check(name(), in); }

        @Override public int[] written(int n) { return allButGradient(n); }
    }

    /** Adam/AdamW: inputs param, grad, exp_avg, exp_avg_sq and, for AMSGrad, max_exp_avg_sq. */
    public record AdamUpdate(AdamKernel.Hyper h) implements UpdateOp {
        @Override public String name() { return "adam_step"; }

        @Override public Map<String, Object> attributes() { return Map.of("hyper", h); }

        @Override public TensorSpec[] meta(Tensor... in) { return check(name(), in); }

        @Override public int[] written(int n) { return allButGradient(n); }
    }

    /** Adadelta: inputs param, grad, square_avg, acc_delta. */
    public record AdadeltaUpdate(AdadeltaKernel.Hyper h) implements UpdateOp {
        @Override public String name() { return "adadelta_step"; }

        @Override public Map<String, Object> attributes() { return Map.of("hyper", h); }

        @Override public TensorSpec[] meta(Tensor... in) { return check(name(), in); }

        @Override public int[] written(int n) { return allButGradient(n); }
    }

    public static void sgdStep(Tensor param, Tensor grad, Tensor buf, SgdKernel.Hyper h) {
        Dispatch.applyUpdate(new SgdUpdate(h), param, grad, buf);
    }

    public static void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vmax, AdamKernel.Hyper h) {
        if (vmax == null) Dispatch.applyUpdate(new AdamUpdate(h), param, grad, m, v);
        else Dispatch.applyUpdate(new AdamUpdate(h), param, grad, m, v, vmax);
    }

    public static void adadeltaStep(Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta, AdadeltaKernel.Hyper h) {
        Dispatch.applyUpdate(new AdadeltaUpdate(h), param, grad, squareAvg, accDelta);
    }
}
