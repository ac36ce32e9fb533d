package org.sinter.autograd;

import java.util.Arrays;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.ops.Custom;

/**
 * A user-defined differentiable operation with a Java forward and a Java backward (PyTorch's
 * {@code torch.autograd.Function}; the course's Lab 2). Subclass it, then call {@link #apply}:
 *
 * <pre>{@code
 * final class Square extends Function {
 *     protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return new Tensor[] {in[0].mul(in[0])};
 *     }
 *     protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
 *         Tensor x = ctx.savedTensors().get(0);
 *         return new Tensor[] {g[0].mul(x).mul(2.0)};
 *     }
 * }
 * Tensor y = new Square().apply1(x);
 * }</pre>
 *
 * Forward runs with gradient recording off; backward runs with it on only when the caller asked
 * for {@code createGraph}, so a backward written with tensor ops supports double backward. A
 * Function instance holds no per-call state (that lives in the context), so one can be reused.
 */
public abstract class Function {
    /** Computes the outputs from the inputs; save what backward needs in {@code ctx}. */
    protected abstract Tensor[] forward(FunctionContext ctx, Tensor... inputs);

    /** Gradients of the inputs (one per input, null for none) from the gradients of the outputs. */
    protected abstract Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs);

    /** The op name shown in graphs, profiles and errors. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Runs the function, recording it for autograd when an input requires grad. */
    public final Tensor[] apply(Tensor... inputs) {
        boolean[] needs = new boolean[inputs.length];
        boolean record = GradMode.isEnabled();
        for (int i = 0; i < inputs.length; i++) needs[i] = record && inputs[i].requiresGrad();
        return Dispatch.apply(new Custom(new CustomImpl(this, new FunctionContext(needs))), inputs);
    }

    /** {@link #apply} for a function with one output. */
    public final Tensor apply1(Tensor... inputs) {
        return apply(inputs)[0];
    }

    /** Adapts a Function call to the op protocol, so it is recorded like any built-in op. */
    private static final class CustomImpl implements Custom.Impl {
        private final Function fn;
        private final FunctionContext ctx;

        CustomImpl(Function fn, FunctionContext ctx) {
            this.fn = fn;
            this.ctx = ctx;
        }

        @Override public String name() { return fn.name(); }

        @Override public Map<String, Object> attributes() { return ctx.attributes(); }

        @Override
        public Tensor[] forward(Tensor... inputs) {
            Tensor[] out = fn.forward(ctx, inputs);
            if (out == null || out.length == 0) throw new IllegalStateException(fn.name() + ".forward returned no outputs");
            for (int i = 0; i < out.length; i++) {
                // An output that is an input object would alias its autograd identity: hand out a view.
                for (Tensor in : inputs) if (out[i] == in) out[i] = in.detach();
            }
            return out;
        }

        @Override
        public Tensor[] backward(SavedContext saved, Tensor... grads) {
            Tensor[] g = fn.backward(ctx, grads);
            if (g == null || g.length != saved.numInputs()) {
                throw new IllegalStateException(fn.name() + ".backward returned " + (g == null ? "null" : g.length + " gradients")
                        + " but forward had " + saved.numInputs() + " inputs");
            }
            for (int i = 0; i < g.length; i++) {
                if (g[i] != null && !Arrays.equals(g[i].shape(), saved.inputShape(i))
                        && !org.sinter.Shape.broadcastableTo(saved.inputShape(i), g[i].shape())) {
                    throw new IllegalStateException(fn.name() + ".backward: gradient " + i + " has shape " + Arrays.toString(g[i].shape())
                            + " but input " + i + " has shape " + Arrays.toString(saved.inputShape(i)));
                }
            }
            return g;
        }
    }
}
