package org.sinter.autograd.examples;

import org.sinter.Tensor;
import org.sinter.autograd.Function;
import org.sinter.autograd.FunctionContext;

/**
 * Lab 2's custom operator: a linear layer without bias, {@code y = x · Wᵀ}, with its gradients
 * written by hand: {@code dX = g · W} and {@code dW = gᵀ · x}. Checked by {@code GradCheck} in the
 * tests; use it as {@code new LinearFunction().apply1(x, w)}.
 */
public final class LinearFunction extends Function {
    @Override
    protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
        Tensor x = in[0], w = in[1];
        if (x.dim() != 2 || w.dim() != 2 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("LinearFunction: expected x [N, in] and W [out, in], got "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(w.shape()));
        }
        ctx.saveForBackward(x, w);
        return new Tensor[] {x.matmul(w.t())};
    }

    @Override
    protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
        Tensor x = ctx.savedTensors().get(0), w = ctx.savedTensors().get(1);
        Tensor dx = ctx.needsInputGrad(0) ? g[0].matmul(w) : null;
        Tensor dw = ctx.needsInputGrad(1) ? g[0].t().matmul(x) : null;
        return new Tensor[] {dx, dw};
    }
}
